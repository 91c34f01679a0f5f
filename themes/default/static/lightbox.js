// Gallery lightbox: arrows, Esc, swipe, focus kept. Without JavaScript every thumbnail
// is a plain link to its image, so nothing here is needed to see the photos.
(() => {
  for (const gallery of document.querySelectorAll('[data-lightbox]')) {
    const links = [...gallery.querySelectorAll('a[href]')];
    if (links.length === 0) continue;
    let index = 0;
    let opener = null;

    const box = document.createElement('div');
    box.className = 'lightbox';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-label', '照片');
    box.hidden = true;
    box.innerHTML = '<figure><img alt=""><figcaption></figcaption></figure>' +
      '<button type="button" class="lightbox-prev" aria-label="上一张">‹</button>' +
      '<button type="button" class="lightbox-next" aria-label="下一张">›</button>' +
      '<button type="button" class="lightbox-close" aria-label="关闭">×</button>' +
      '<p class="lightbox-count" aria-live="polite"></p>';
    document.body.append(box);
    const image = box.querySelector('img');
    const caption = box.querySelector('figcaption');
    const count = box.querySelector('.lightbox-count');
    const buttons = [...box.querySelectorAll('button')];

    const show = (next) => {
      index = (next + links.length) % links.length;
      const link = links[index];
      image.src = link.href;
      image.alt = link.querySelector('img')?.alt ?? '';
      caption.textContent = link.dataset.caption ?? '';
      count.textContent = `${index + 1} / ${links.length}`;
      // A long screenshot is shown at a readable width and scrolled, from its top.
      box.classList.toggle('lightbox-tall', 'tall' in link.dataset);
      box.scrollTop = 0;
    };
    const open = (at) => {
      opener = document.activeElement;
      show(at);
      box.hidden = false;
      document.documentElement.classList.add('lightbox-open');
      box.querySelector('.lightbox-close').focus();
    };
    const close = () => {
      box.hidden = true;
      document.documentElement.classList.remove('lightbox-open');
      opener?.focus();
    };

    links.forEach((link, at) => link.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      open(at);
    }));
    box.querySelector('.lightbox-prev').addEventListener('click', () => show(index - 1));
    box.querySelector('.lightbox-next').addEventListener('click', () => show(index + 1));
    box.querySelector('.lightbox-close').addEventListener('click', close);
    box.addEventListener('click', (event) => { if (event.target === box) close(); });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') { event.preventDefault(); close(); }
      else if (event.key === 'ArrowLeft') show(index - 1);
      else if (event.key === 'ArrowRight') show(index + 1);
      else if (event.key === 'Tab') {
        // Keep focus inside the dialog while it is open.
        const at = buttons.indexOf(document.activeElement);
        const next = event.shiftKey ? at - 1 : at + 1;
        event.preventDefault();
        buttons[(next + buttons.length) % buttons.length].focus();
      }
    });
    let startX = null;
    box.addEventListener('touchstart', (event) => { startX = event.touches[0].clientX; }, { passive: true });
    box.addEventListener('touchend', (event) => {
      if (startX === null) return;
      const moved = event.changedTouches[0].clientX - startX;
      if (Math.abs(moved) > 40) show(moved > 0 ? index - 1 : index + 1);
      startX = null;
    });
  }
})();
