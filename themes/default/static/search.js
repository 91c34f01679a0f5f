// Site search in the browser. The index (built by herald) maps character pairs to the pages
// and positions where they occur, split into shards by a hash of the pair; a query loads
// only the shards of its own pairs, checks that the pairs stand next to each other (so it
// finds exactly the pages containing the words typed), then loads details for the results
// it shows. Keyboard: type, Tab to a filter or a result, Enter to open.
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
  // another digit follows (as in source maps); see `vlq` in src/search.rs.
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
  async function numbers(key, meta) {
    let text = (await load(`shards/${shardOf(key, meta.shards)}.json`))[key];
    if (text === undefined) return undefined;
    // A long list lives in a file of its own.
    if (text.startsWith('@')) text = await loadText(`big/${text.slice(1)}.txt`);
    return unvlq(text);
  }
  // A pair's pages: [doc, [positions]].
  async function pairPostings(key, meta) {
    const n = await numbers(key, meta);
    if (!n) return undefined;
    const rows = [];
    for (let i = 0, doc = 0; i < n.length;) {
      doc += n[i++];
      const count = n[i++];
      const positions = [];
      for (let j = 0, p = 0; j < count; j++) positions.push(p += n[i++]);
      rows.push([doc, positions]);
    }
    return rows;
  }
  // A character's pages: [doc, count, in title].
  async function charPostings(key, meta) {
    const n = (await numbers(key, meta)) ?? [];
    const rows = [];
    for (let i = 0, doc = 0; i < n.length; i += 3) rows.push([doc += n[i], n[i + 1], n[i + 2]]);
    return rows;
  }

  // Pages holding one term: Map doc -> {title, count}.
  async function term(chars, meta) {
    const found = new Map();
    if (chars.length === 1) {
      for (const [doc, count, title] of await charPostings(chars[0], meta)) found.set(doc, { title: !!title, count });
      return found;
    }
    const keys = [];
    for (let i = 0; i + 1 < chars.length; i++) keys.push(chars[i] + chars[i + 1]);
    const lists = await Promise.all(keys.map((key) => pairPostings(key, meta)));
    if (lists.some((l) => !l)) return found;
    const others = lists.slice(1).map((l) => new Map(l.map(([doc, positions]) => [doc, new Set(positions)])));
    for (const [doc, positions] of lists[0]) {
      const starts = positions.filter((start) => others.every((m, i) => m.get(doc)?.has(start + i + 1)));
      if (starts.length) found.set(doc, { title: starts[0] < meta.body_offset, count: starts.length });
    }
    return found;
  }

  async function search(query, meta) {
    const terms = query.split(/\s+/).map(normalize).filter((t) => t.length);
    if (!terms.length) return [];
    let result = null;
    for (const chars of terms) {
      const found = await term(chars, meta);
      result = result === null ? found : new Map([...result].filter(([doc]) => found.has(doc)).map(([doc, hit]) => {
        const other = found.get(doc);
        return [doc, { title: hit.title || other.title, count: hit.count + other.count }];
      }));
    }
    // Title hits first, then the most occurrences; pages are numbered newest first.
    return [...result].sort((a, b) => (b[1].title - a[1].title) || (b[1].count - a[1].count) || (a[0] - b[0]));
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
  async function run() {
    const query = input.value.trim();
    const url = new URL(location.href);
    for (const [name, value] of [['q', query], ['kind', kindSelect.value], ['campaign', campaignSelect.value]]) {
      if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    }
    history.replaceState(null, '', url);
    const mine = ++generation;
    if (!query) { list.innerHTML = ''; status.textContent = ''; return; }
    status.textContent = '正在搜索…';
    try {
      meta ??= await load('meta.json');
      let hits = await search(query, meta);
      const kind = meta.kinds.findIndex(([name]) => name === kindSelect.value);
      const campaign = meta.campaigns.findIndex(([id]) => id === campaignSelect.value);
      if (kindSelect.value) hits = hits.filter(([doc]) => meta.doc_kinds[doc] === kind);
      if (campaignSelect.value) hits = hits.filter(([doc]) => meta.doc_campaigns[doc] === campaign);
      const shown = hits.slice(0, SHOWN);
      const details = await Promise.all(shown.map(async ([doc]) => (await load(`docs/${Math.floor(doc / meta.chunk)}.json`))[doc % meta.chunk]));
      if (mine !== generation) return;
      const words = query.split(/\s+/).filter(Boolean);
      const label = Object.fromEntries(meta.kinds);
      list.innerHTML = details.map((d) => `<li class="search-result"><a href="${escape(d.url)}">${highlight(d.title, words)}</a>` +
        `<p class="card-meta"><span class="kind">${escape(label[d.kind] ?? d.kind)}</span>${d.date ? ` <time datetime="${d.date}">${escape(d.date)}</time>` : ''}</p>` +
        `<p class="search-passage">${highlight(passage(d.text, words), words)}</p></li>`).join('');
      status.textContent = hits.length ? `找到 ${hits.length} 个页面${hits.length > SHOWN ? `，显示前 ${SHOWN} 个` : ''}` : '没有找到包含这些字词的页面';
    } catch (error) {
      if (mine === generation) status.textContent = '搜索索引加载失败，请稍后再试';
    }
  }

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
