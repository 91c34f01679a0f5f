// herald live preview: injected only by `herald serve`, never into a built site.
(() => {
  const scrollKey = 'herald-scroll:' + location.pathname;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const restore = () => window.scrollTo(0, Number(saved));
    restore();
    window.addEventListener('load', restore);
  }

  let build = null;
  let overlay = null;

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function showOverlay(message) {
    hideOverlay();
    overlay = document.createElement('div');
    overlay.id = 'herald-error-overlay';
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-label', '构建出错');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:#1b1b1b;color:#fff;' +
      'padding:2rem;overflow:auto;font:15px/1.6 ui-monospace,Menlo,Consolas,monospace';
    const title = document.createElement('h2');
    title.textContent = '网站没有更新：内容有错误 / The site was not rebuilt: fix this error';
    title.style.cssText = 'font:bold 18px/1.4 sans-serif;color:#ff8080;margin:0 0 1rem';
    const text = document.createElement('pre');
    text.textContent = message;
    text.style.cssText = 'white-space:pre-wrap;margin:0';
    const note = document.createElement('p');
    note.textContent = '改正并保存文件后，此提示会自动消失。 This message goes away when you save a fix.';
    note.style.cssText = 'font:14px/1.6 sans-serif;color:#ccc;margin-top:1.5rem';
    overlay.append(title, text, note);
    document.body.append(overlay);
  }

  if (window.__heraldError) showOverlay(window.__heraldError);

  function connect() {
    const events = new EventSource('/__herald/events');
    events.addEventListener('hello', (event) => {
      const data = JSON.parse(event.data);
      // A different build after a reconnect means the server restarted or rebuilt meanwhile.
      if (build !== null && data.build !== build) reload();
      build = data.build;
      if (data.error) showOverlay(data.error); else if (!window.__heraldError) hideOverlay();
    });
    events.addEventListener('reload', (event) => {
      const data = JSON.parse(event.data);
      build = data.build;
      if (data.path && data.path !== location.pathname) {
        location.href = data.path;
      } else {
        reload();
      }
    });
    events.addEventListener('css', (event) => {
      build = JSON.parse(event.data).build;
      hideOverlay();
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set('herald', String(Date.now()));
        const fresh = link.cloneNode();
        fresh.href = url.toString();
        fresh.addEventListener('load', () => link.remove());
        link.after(fresh);
      }
    });
    events.addEventListener('build-error', (event) => {
      showOverlay(JSON.parse(event.data).error);
    });
  }
  connect();
})();
