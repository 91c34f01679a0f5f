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

// Campaign status and countdown for today in the site's time zone (`data-timezone` on
// <html>, from site.yaml), wherever the reader is, so a page hosted for months never shows
// a stale status. The built text is the fallback, also for a browser that does not know
// the zone.
(() => {
  const marked = document.querySelectorAll('[data-status-start]');
  if (!marked.length) return;
  let today;
  try {
    // en-CA writes dates as YYYY-MM-DD, the form of the data attributes.
    today = new Intl.DateTimeFormat('en-CA', { timeZone: document.documentElement.dataset.timezone })
      .format(new Date());
  } catch (e) {
    return;
  }
  const days = (later, earlier) => Math.round((Date.parse(later) - Date.parse(earlier)) / 86400000);
  const labels = { upcoming: '未开始', ongoing: '进行中', ended: '已结束' };
  for (const element of marked) {
    const start = element.dataset.statusStart;
    const end = element.dataset.statusEnd || start;
    const status = today < start ? 'upcoming' : today > end ? 'ended' : 'ongoing';
    if (element.dataset.status === 'label') {
      element.textContent = labels[status];
      element.className = element.className.replace(/status-\w+/, `status-${status}`);
    } else {
      element.textContent = status === 'upcoming' ? `距开始还有 ${days(start, today)} 天`
        : status === 'ongoing' ? `还剩 ${days(end, today) + 1} 天` : '';
    }
  }
})();
