// The 大字版 (large type) switch: larger text, higher contrast, bigger touch targets,
// remembered in this browser. The button stays hidden where scripts cannot run.
(() => {
  const button = document.querySelector('.elder-switch');
  if (!button) return;
  const root = document.documentElement;
  const sync = () => {
    const on = root.classList.contains('elder');
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? '标准版' : '大字版';
  };
  button.hidden = false;
  sync();
  button.addEventListener('click', () => {
    root.classList.toggle('elder');
    try { localStorage.setItem('herald-elder', root.classList.contains('elder') ? '1' : '0'); } catch (e) { /* private mode */ }
    sync();
  });
})();
