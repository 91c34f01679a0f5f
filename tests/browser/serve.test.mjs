// The live preview in a real browser: an edit shows up without a manual reload, the scroll
// position is kept, a broken file brings up the error overlay and a fix clears it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const herald = resolve(process.env.HERALD_BIN ?? '../../target/release/herald');
const fixture = resolve('../fixtures/basic');
const shots = resolve(process.env.HERALD_SCREENSHOTS ?? '../../target/screenshots');
let site, server, url, browser;

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'herald-serve-'));
  await cp(fixture, site, { recursive: true });
  await mkdir(join(site, 'static'), { recursive: true });
  await cp(resolve('../../themes/default/static/style.css'), join(site, 'static/style.css'));
  // A long page, so that keeping the scroll position means something.
  const long = Array.from({ length: 80 }, (_, i) => `第${i + 1}段:志愿者们来到敬老院,陪老人聊天、打扫房间。`).join('\n\n');
  await writeFile(join(site, 'content/stories/long.md'), `---\ntitle: 长篇事迹\ndate: 2013-03-15\n---\n${long}\n`);
  server = spawn(herald, ['--root', site, '--lang', 'en', 'serve', '--port', String(20000 + Math.floor(Math.random() * 20000))]);
  const lines = createInterface({ input: server.stdout });
  url = await new Promise((done, fail) => {
    lines.once('line', done);
    server.once('exit', (code) => fail(new Error(`herald serve exited with ${code}`)));
  });
  lines.on('line', () => {});
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  await rm(site, { recursive: true, force: true });
});

test('an edit appears in the open page and keeps its scroll position', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(new URL('/stories/long/', url).href);
  await page.waitForFunction(() => document.querySelector('script[src="/__herald/reload.js"]'));
  await page.waitForTimeout(300); // let the event stream connect
  await page.evaluate(() => window.scrollTo(0, 1500));
  const file = join(site, 'content/stories/long.md');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('第1段', '改过的第一段'));
  await page.waitForSelector('text=改过的第一段', { timeout: 10000 });
  await page.waitForFunction(() => window.scrollY > 1000, null, { timeout: 5000 });
  assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - 1500) < 50, 'scroll position kept');
  await page.close();
});

test('saving another page takes the browser there', async () => {
  const page = await browser.newPage();
  await page.goto(new URL('/plans/honghu/', url).href);
  await page.waitForTimeout(300);
  const file = join(site, 'content/stories/jinglaoyuan.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace('我们来到敬老院。', '我们又一次来到敬老院。'));
  await page.waitForURL('**/stories/jinglaoyuan/', { timeout: 10000 });
  assert.ok(await page.isVisible('text=我们又一次来到敬老院。'));
  await page.close();
});

test('a broken file shows the overlay, a fix clears it', async () => {
  const page = await browser.newPage();
  await page.goto(new URL('/plans/honghu/', url).href);
  await page.waitForTimeout(300);
  const file = join(site, 'content/plans/honghu.md');
  const good = await readFile(file, 'utf8');
  await writeFile(file, good.replace('tags: [学雷锋, 志愿服务]', 'tags: [学雷锋, 志愿服务'));
  const overlay = await page.waitForSelector('#herald-error-overlay', { timeout: 10000 });
  assert.match(await overlay.textContent(), /content\/plans\/honghu\.md:\d+/);
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'serve-error-overlay.png') });
  // A reload of the page during the error still shows it.
  await page.reload();
  await page.waitForSelector('#herald-error-overlay', { timeout: 5000 });
  await writeFile(file, good.replace('洪湖方案正文。', '洪湖方案修好了。'));
  await page.waitForSelector('text=洪湖方案修好了。', { timeout: 10000 });
  assert.equal(await page.$('#herald-error-overlay'), null);
  await page.close();
});

test('a stylesheet change is applied without reloading the page', async () => {
  const page = await browser.newPage();
  await page.goto(new URL('/about/', url).href);
  await page.waitForTimeout(300);
  await page.evaluate(() => { window.notReloaded = true; });
  await writeFile(join(site, 'static/style.css'), 'body { background: rgb(1, 2, 3); }\n');
  await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)', null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  await page.close();
});
