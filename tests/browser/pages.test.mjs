// Opens the built demo site in Debian's headless Chromium: every kind of page at a phone
// width and a desktop width, with no console errors, no horizontal overflow and no request
// to another host. Screenshots go to target/screenshots/ for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat, mkdir, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, extname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const siteDir = resolve(process.env.HERALD_SITE_DIR ?? 'target/browser-site');
const shots = resolve(process.env.HERALD_SCREENSHOTS ?? 'target/screenshots');
const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.xml': 'application/xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8', '.webp': 'image/webp',
};

let server, browser, origin;

before(async () => {
  server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.includes('..')) { res.writeHead(400).end(); return; }
    let file = join(siteDir, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { 'content-type': types['.html'] });
      res.end(await readFile(join(siteDir, '404.html')));
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  await mkdir(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const pages = {
  home: '/',
  campaigns: '/campaigns/',
  campaign: '/campaigns/xue-leifeng-2013/',
  plans: '/plans/',
  plan: '/plans/tianzhushan-fuwu-qiye-nian/',
  initiative: '/initiatives/yiyang-xue-leifeng/',
  story: null,
  gallery: null,
  archive: '/archive/',
  tags: '/tags/',
  search: '/search/?q=%E6%95%AC%E8%80%81%E9%99%A2',
  notfound: '/no-such-page/',
};

async function firstLink(section) {
  const html = await readFile(join(siteDir, section, 'index.html'), 'utf8');
  const match = html.match(new RegExp(`href="(/${section}/[^"/]+/)"`));
  assert.ok(match, `no item in /${section}/`);
  return match[1];
}

for (const width of [390, 1280]) {
  test(`every kind of page renders cleanly at ${width}px`, async () => {
    pages.story = await firstLink('stories');
    pages.gallery = await firstLink('galleries');
    const campaign = await firstLink('campaigns');
    if (!(await stat(join(siteDir, pages.campaign)).catch(() => null))) pages.campaign = campaign;
    if (!(await stat(join(siteDir, pages.plan)).catch(() => null))) pages.plan = await firstLink('plans');
    if (!(await stat(join(siteDir, pages.initiative)).catch(() => null))) pages.initiative = await firstLink('initiatives');
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    for (const [name, path] of Object.entries(pages)) {
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date('2013-03-06T10:00:00+08:00'));
      const problems = [];
      page.on('console', (message) => {
        // The 404 page is served with status 404, which the browser logs as an error.
        if (message.type() === 'error' && !(name === 'notfound' && message.text().includes('404'))) problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) problems.push(`outside request ${request.url()}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400 && name !== 'notfound') problems.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(origin + path, { waitUntil: 'networkidle' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} (${path}) overflows by ${overflow}px at ${width}px`);
      assert.deepEqual(problems, [], `${name} (${path}) at ${width}px`);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.ok((await page.title()).length > 0, `${name} has a title`);
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      await page.close();
    }
    await context.close();
  });
}

test('the campaign timeline places phases on the axis and marks today', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin + pages.campaign);
  const bars = await page.$$eval('.phase-bar', (els) => els.map((el) => {
    const box = el.getBoundingClientRect();
    const axis = el.parentElement.getBoundingClientRect();
    return { left: box.left - axis.left, right: box.right - axis.left, width: axis.width };
  }));
  assert.ok(bars.length >= 2, 'the campaign has phases');
  for (const bar of bars) {
    assert.ok(bar.left >= -1 && bar.right <= bar.width + 1, `a phase bar leaves the axis: ${JSON.stringify(bar)}`);
  }
  for (let i = 1; i < bars.length; i++) assert.ok(bars[i].left >= bars[i - 1].left, 'phases in date order');
  await context.close();
});

test('axe-core finds no serious or critical accessibility problem', async () => {
  const axeSource = await readFile(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const found = [];
  for (const [name, path] of Object.entries(pages)) {
    const page = await context.newPage();
    await page.goto(origin + path, { waitUntil: 'networkidle' });
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    found.push(...violations.map((v) => `${name}: ${v}`));
    await page.close();
  }
  await context.close();
  assert.deepEqual(found, []);
});

test('the gallery lightbox opens on a click and closes with Esc', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin + pages.gallery, { waitUntil: 'networkidle' });
  const first = page.locator('[data-lightbox] a').first();
  await first.click();
  const box = page.locator('.lightbox');
  await box.waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.className), 'lightbox-close', 'focus moves into the dialog');
  assert.match(await page.locator('.lightbox-count').textContent(), /^1 \/ \d+$/);
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('.lightbox-count').textContent(), /^2 \/ \d+$/);
  await page.screenshot({ path: join(shots, 'lightbox-1280.png') });
  await page.keyboard.press('Escape');
  await box.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-lightbox]') !== null), true, 'focus returns to the photo');
  await context.close();
});

test('the share QR code, as Chromium draws it on screen and for print, scans back to the page', async () => {
  pages.story ??= await firstLink('stories');
  for (const path of [pages.initiative, pages.story, pages.campaign]) {
    for (const media of ['screen', 'print']) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.emulateMedia({ media });
      await page.goto(origin + path, { waitUntil: 'networkidle' });
      const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
      const qr = page.locator('.share-qr svg');
      await qr.scrollIntoViewIfNeeded();
      const png = PNG.sync.read(await qr.screenshot());
      const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      assert.ok(code, `no QR code found on ${path} (${media})`);
      assert.equal(code.data, canonical, `${path} (${media})`);
      await context.close();
    }
  }
});

test('the initiative prints on A4, about one page per 900 characters, without navigation', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + pages.initiative, { waitUntil: 'networkidle' });
  const characters = await page.evaluate(() => document.querySelector('.doc-letter').innerText.replace(/\s/g, '').length);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.site-header'), false, 'no header on paper');
  assert.equal(await page.isVisible('.signature'), true, 'the signature is printed');
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  await writeFile(join(shots, 'initiative.pdf'), pdf);
  const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  const allowed = Math.max(1, Math.ceil(characters / 900));
  assert.ok(pageCount >= 1 && pageCount <= allowed, `${characters} characters printed on ${pageCount} pages (at most ${allowed})`);
  await context.close();
});

test('every page is valid HTML (Nu Html Checker)', () => {
  const result = spawnSync('java', ['-jar', resolve('node_modules/vnu-jar/build/dist/vnu.jar'), '--errors-only', '--skip-non-html', siteDir], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr || result.stdout);
});

test('a Chinese query typed into the search box finds the expected page first', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin + '/', { waitUntil: 'networkidle' });
  await page.fill('#header-search-q', '敬老院');
  await page.press('#header-search-q', 'Enter');
  await page.waitForURL('**/search/?q=*');
  const first = page.locator('.search-result a').first();
  await first.waitFor({ timeout: 10000 });
  assert.equal((await first.textContent()).trim(), '第三次去敬老院做义工');
  assert.ok(await page.locator('.search-result mark').count() > 0, 'the match is highlighted');
  await page.fill('#search-query', '');
  await page.type('#search-query', '服务之星');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '服务之星'
    && document.querySelector('.search-result > a')?.textContent.includes('服务之星'));
  const titles = await page.locator('.search-result > a').allTextContents();
  assert.ok(titles.length >= 2 && titles.every((t) => t.includes('服务之星')), titles.join(' | '));
  assert.match(page.url(), /q=%E6%9C%8D%E5%8A%A1%E4%B9%8B%E6%98%9F/, 'the query is in the URL to share');
  await page.selectOption('#search-kind', 'campaign');
  await page.waitForFunction(() => document.querySelectorAll('.search-result').length === 0 || [...document.querySelectorAll('.search-result .kind')].every((k) => k.textContent === '活动'));
  await page.screenshot({ path: join(shots, 'search-1280.png') });
  await context.close();
});

test('search results are exactly the pages whose text holds the query, with an honest count', async () => {
  // The pages a plain substring search finds, from the same texts the search confirms against.
  const normalize = (text) => Array.from(text.toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c)).join('');
  const meta = JSON.parse(await readFile(join(siteDir, 'search', 'meta.json'), 'utf8'));
  const docs = [];
  for (let n = 0; n * meta.chunk < meta.docs; n++) {
    const file = join(siteDir, 'search', 'docs', String(Math.floor(n / meta.folder)), `${n}.json`);
    docs.push(...JSON.parse(await readFile(file, 'utf8')));
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // 服务 is on more pages than one screen shows: its count is known before all are shown.
  for (const query of ['服务', '志愿', '学雷锋活动', '活动 服务之星', '不存在的词']) {
    const terms = query.split(' ').map(normalize);
    const expected = docs.filter((d) => terms.every((t) => normalize(d.title).includes(t) || normalize(d.text).includes(t)))
      .map((d) => d.url).sort();
    await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`, { waitUntil: 'networkidle' });
    const status = page.locator('.search-status');
    await page.waitForFunction(() => !document.querySelector('.search-status').textContent.includes('正在'));
    if (expected.length) assert.match(await status.textContent(), new RegExp(`^找到 ${expected.length} 个页面`), query);
    const more = page.locator('.search-more');
    while (await more.isVisible()) {
      await more.click();
      await page.waitForFunction(() => !document.querySelector('.search-more').disabled);
    }
    const found = (await page.locator('.search-result > a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).sort();
    assert.deepEqual(found, expected, query);
    assert.equal(await status.textContent(), expected.length ? `找到 ${expected.length} 个页面` : '没有找到包含这些字词的页面', query);
  }
  assert.ok(docs.filter((d) => normalize(d.title).includes('服务') || normalize(d.text).includes('服务')).length > 20,
    'a query with more than one screen of results');
  await context.close();
});

test('campaign status and countdown follow the reader\'s today, not the build day', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date('2013-03-30T10:00:00+08:00'));
  await page.goto(origin + pages.campaign, { waitUntil: 'networkidle' });
  const label = page.locator('.campaign-header [data-status="label"]');
  assert.equal(await label.textContent(), '进行中');
  assert.equal(await page.locator('.campaign-header [data-status="remaining"]').textContent(), '还剩 2 天');
  await page.clock.setFixedTime(new Date('2014-01-01T10:00:00+08:00'));
  await page.reload({ waitUntil: 'networkidle' });
  assert.equal(await label.textContent(), '已结束');
  assert.match(await label.getAttribute('class'), /status-ended/);
  await context.close();
});

test('the 大字版 switch enlarges the text and is remembered', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(origin + pages.initiative, { waitUntil: 'networkidle' });
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.letter-body p')).fontSize));
  const before = await size();
  const button = page.locator('.elder-switch');
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  assert.ok((await size()) >= before * 1.2, 'larger type');
  await page.goto(origin + pages.plan, { waitUntil: 'networkidle' });
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true, 'remembered on the next page');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling in 大字版 on a phone (${overflow}px)`);
  await page.screenshot({ path: join(shots, 'elder-390.png') });
  await context.close();
});
