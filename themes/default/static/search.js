// Site search in the browser. The index (built by herald, src/search) maps each character
// and each pair of characters to the pages holding it, split into shards by a hash of the
// key; a query loads only the shards of its own keys. Pages holding all of a query's pairs
// are candidates; each shown is confirmed against its own text (loaded anyway to show
// it), so the results are exactly the pages containing the words typed. A term of one or
// two characters is a key itself: its candidates are the answer, and the count is known
// at once. Keyboard: type, Tab to a filter or a result, Enter to open.
(() => {
  const page = document.querySelector('[data-search]');
  if (!page) return;
  const base = page.dataset.search;
  const input = page.querySelector('#search-query');
  const kindSelect = page.querySelector('#search-kind');
  const campaignSelect = page.querySelector('#search-campaign');
  const status = page.querySelector('.search-status');
  const list = page.querySelector('.search-results');
  const SHOWN = 20;
  const cache = new Map();
  const fetchOnce = (path, read) => {
    if (!cache.has(path)) cache.set(path, fetch(base + path).then((r) => (r.ok ? read(r) : Promise.reject(new Error(path)))));
    return cache.get(path);
  };
  const load = (path) => fetchOnce(path, (r) => r.json());
  const loadText = (path) => fetchOnce(path, (r) => r.text());

  const normalize = (text) => Array.from(text.toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c));
  const shardOf = (key, shards) => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      hash ^= key.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % shards;
  };
  // Numbers are written as base-64 digits of five bits each, the sixth bit saying that
  // another digit follows (as in source maps); see src/search/format.rs.
  const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const unvlq = (text) => {
    const numbers = [];
    let value = 0;
    let scale = 1;
    for (const c of text) {
      const digit = DIGITS.indexOf(c);
      value += (digit & 31) * scale;
      if (digit & 32) scale *= 32; else { numbers.push(value); value = 0; scale = 1; }
    }
    return numbers;
  };
  // A key's pages, ascending: [doc, in title]. Written either as numbers, twice the gap
  // from the previous page plus the title flag, or, for keys on many pages, as `!`, a
  // bitmap of six pages per digit, `.` and the gaps between the title pages.
  const decodePages = (text) => {
    const rows = [];
    if (!text.startsWith('!')) {
      let doc = 0;
      for (const n of unvlq(text)) rows.push([doc += Math.floor(n / 2), n % 2 === 1]);
      return rows;
    }
    const [bits, titleGaps = ''] = text.slice(1).split('.');
    const titles = new Set();
    let doc = 0;
    for (const gap of unvlq(titleGaps)) titles.add(doc += gap);
    for (let k = 0; k < bits.length; k++) {
      const digit = DIGITS.indexOf(bits[k]);
      for (let i = 0; i < 6; i++) if (digit & (1 << i)) rows.push([k * 6 + i, titles.has(k * 6 + i)]);
    }
    return rows;
  };
  async function pages(key, meta) {
    let text = (await load(`shards/${shardOf(key, meta.shards)}.json`))[key];
    if (text === undefined) return undefined;
    // A long list lives in a file of its own.
    if (text.startsWith('@')) text = await loadText(`big/${text.slice(1)}.txt`);
    return decodePages(text);
  }

  // At most this many pairs of a term are looked up, spread from the first to the last:
  // a pasted sentence would otherwise cost a shard per pair. See `looked_up` in
  // src/search/mod.rs.
  const MAX_PAIRS = 8;
  const lookedUp = (pairs) => (pairs <= MAX_PAIRS ? [...Array(pairs).keys()]
    : [...Array(MAX_PAIRS).keys()].map((i) => Math.floor((i * (pairs - 1)) / (MAX_PAIRS - 1))));

  // Pages that may hold a term: those with the character, or with the pairs of it looked
  // up. Map doc -> whether all of them were seen in the title.
  async function candidates(chars, meta) {
    const keys = chars.length === 1 ? [chars[0]] : lookedUp(chars.length - 1).map((at) => chars[at] + chars[at + 1]);
    const lists = await Promise.all(keys.map((key) => pages(key, meta)));
    if (lists.some((l) => !l)) return new Map();
    let found = new Map(lists[0]);
    for (const list of lists.slice(1)) {
      const these = new Map(list);
      found = new Map([...found].filter(([doc]) => these.has(doc)).map(([doc, title]) => [doc, title && these.get(doc)]));
    }
    return found;
  }

  // Candidates for every term: those with every term in the title first, then the rest,
  // each newest first (pages are numbered newest first).
  async function search(terms, meta) {
    let result = null;
    for (const chars of terms) {
      const found = await candidates(chars, meta);
      result = result === null ? found
        : new Map([...result].filter(([doc]) => found.has(doc)).map(([doc, title]) => [doc, title && found.get(doc)]));
    }
    return [...(result ?? [])].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  function highlight(text, words) {
    let html = escape(text);
    for (const word of words) {
      if (!word) continue;
      const pattern = new RegExp(escape(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
      html = html.replace(pattern, (m) => `<mark>${m}</mark>`);
    }
    return html;
  }
  function passage(text, words) {
    const lower = text.toLowerCase();
    let at = -1;
    for (const word of words) {
      at = lower.indexOf(word.toLowerCase());
      if (at >= 0) break;
    }
    const start = Math.max(0, at - 30);
    const cut = text.slice(start, start + 110).replace(/\s+/g, ' ');
    return (start > 0 ? '…' : '') + cut + (start + 110 < text.length ? '…' : '');
  }

  let meta = null;
  let generation = 0;
  let pending = null; // the query being shown: its candidates and how far they were checked

  // Confirms candidates against their text, in order, until `wanted` pages are found,
  // fetching as many at a time as are still wanted, and at most CHECKED per step: a
  // phrase whose parts stand apart on many pages has many candidates that are not
  // results, and the reader asks for more instead. A details file holds meta.chunk pages
  // (one, as herald writes them), so a step loads the index keys and a few dozen pages;
  // the files are kept meta.folder to a folder.
  const CHECKED = 40;
  async function confirm(state, wanted) {
    const limit = Math.min(state.candidates.length, state.next + CHECKED);
    while (state.found.length < wanted && state.next < limit) {
      const batch = state.candidates.slice(state.next, Math.min(limit, state.next + wanted - state.found.length));
      state.next += batch.length;
      const details = batch.map(async ([doc]) => {
        const file = Math.floor(doc / meta.chunk);
        return (await load(`docs/${Math.floor(file / meta.folder)}/${file}.json`))[doc % meta.chunk];
      });
      for (const d of await Promise.all(details)) {
        const title = normalize(d.title).join('');
        const text = normalize(d.text).join('');
        if (state.terms.every((t) => title.includes(t) || text.includes(t))) state.found.push(d);
      }
    }
  }

  function show(state, mine) {
    if (mine !== generation) return;
    const label = Object.fromEntries(meta.kinds);
    const inTitle = (d) => state.terms.every((t) => normalize(d.title).join('').includes(t));
    const ranked = [...state.found.filter(inTitle), ...state.found.filter((d) => !inTitle(d))];
    list.innerHTML = ranked.map((d) => `<li class="search-result"><a href="${escape(d.url)}">${highlight(d.title, state.words)}</a>` +
      `<p class="card-meta"><span class="kind">${escape(label[d.kind] ?? d.kind)}</span>${d.date ? ` <time datetime="${d.date}">${escape(d.date)}</time>` : ''}</p>` +
      `<p class="search-passage">${highlight(passage(d.text, state.words), state.words)}</p></li>`).join('');
    const done = state.next >= state.candidates.length;
    const found = state.found.length;
    // Until every candidate is checked, only terms of one or two characters give the count.
    status.textContent = done ? (found ? `找到 ${found} 个页面` : '没有找到包含这些字词的页面')
      : state.exact ? `找到 ${state.candidates.length} 个页面，已显示前 ${found} 个`
        : `已找到 ${found} 个页面，还有 ${state.candidates.length - state.next} 个可能的页面待查`;
    moreButton.textContent = state.exact ? '显示更多结果' : '继续查找';
    moreButton.hidden = done;
  }

  async function run() {
    const query = input.value.trim();
    const url = new URL(location.href);
    for (const [name, value] of [['q', query], ['kind', kindSelect.value], ['campaign', campaignSelect.value]]) {
      if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    }
    history.replaceState(null, '', url);
    const mine = ++generation;
    if (!query) { list.innerHTML = ''; status.textContent = ''; moreButton.hidden = true; return; }
    status.textContent = '正在搜索…';
    try {
      meta ??= await load('meta.json');
      const terms = query.split(/\s+/).map(normalize).filter((t) => t.length);
      let hits = await search(terms, meta);
      if (kindSelect.value || campaignSelect.value) {
        // Each page's kind and campaign, one number per page (campaigns counted from 1).
        const filters = await load('filters.json');
        const kind = meta.kinds.findIndex(([name]) => name === kindSelect.value);
        const campaign = meta.campaigns.findIndex(([id]) => id === campaignSelect.value) + 1;
        const kinds = unvlq(filters.kinds);
        const campaigns = unvlq(filters.campaigns);
        if (kindSelect.value) hits = hits.filter(([doc]) => kinds[doc] === kind);
        if (campaignSelect.value) hits = hits.filter(([doc]) => campaigns[doc] === campaign);
      }
      pending = {
        candidates: hits, next: 0, found: [], exact: terms.every((t) => t.length <= 2),
        terms: terms.map((t) => t.join('')), words: query.split(/\s+/).filter(Boolean),
      };
      const state = pending;
      await confirm(state, SHOWN);
      show(state, mine);
    } catch (error) {
      if (mine === generation) status.textContent = '搜索索引加载失败，请稍后再试';
    }
  }

  const moreButton = document.createElement('button');
  moreButton.type = 'button';
  moreButton.className = 'search-more';
  moreButton.textContent = '显示更多结果';
  moreButton.hidden = true;
  list.after(moreButton);
  moreButton.addEventListener('click', async () => {
    moreButton.disabled = true;
    const state = pending;
    const mine = generation;
    try {
      await confirm(state, state.found.length + SHOWN);
      show(state, mine);
    } catch (error) {
      if (mine === generation) status.textContent = '搜索索引加载失败，请稍后再试';
    } finally {
      moreButton.disabled = false;
    }
  });

  let timer = null;
  const soon = () => { clearTimeout(timer); timer = setTimeout(run, 120); };
  input.addEventListener('input', soon);
  kindSelect.addEventListener('change', run);
  campaignSelect.addEventListener('change', run);
  page.querySelector('form').addEventListener('submit', (event) => { event.preventDefault(); run(); });

  (async () => {
    meta = await load('meta.json').catch(() => null);
    if (meta) {
      for (const [name, label] of meta.kinds) kindSelect.add(new Option(label, name));
      for (const [id, title] of meta.campaigns) campaignSelect.add(new Option(title, id));
    }
    const params = new URLSearchParams(location.search);
    input.value = params.get('q') ?? '';
    kindSelect.value = params.get('kind') ?? '';
    campaignSelect.value = params.get('campaign') ?? '';
    input.focus();
    if (input.value) run();
  })();
})();
