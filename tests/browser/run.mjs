// Drives the web UI of `onrecord serve` in headless Chromium: home →
// search "Lavrov" → his page (timeline, a seed statement) → the article
// (the statement highlighted) → the statement's thread (timeline drawn,
// stances coloured). Saves a screenshot of every page.
//
//   ONRECORD_URL=http://127.0.0.1:PORT ONRECORD_SHOTS=DIR node run.mjs
//
// Exit code 0 when every check passed; the failed check otherwise.
// tests/browser.rs starts the server on a fresh record and runs this.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.ONRECORD_URL ?? 'http://127.0.0.1:8080';
const shots = process.env.ONRECORD_SHOTS ?? 'screenshots';
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// what Sergey Lavrov says in the two seed articles (examples/)
const SEED_STATEMENTS = [
  'We hope President Trump remains faithful to the understandings achieved in Anchorage',
  'The Anchorage spirit is a hot-button issue now',
  'As for the relationship between Presidents Putin and Trump',
  'We will continue to ensure that this remains the case',
  'certain understandings',
];

mkdirSync(shots, { recursive: true });
const log = (...a) => console.log('browser:', ...a);
function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  log(`ok - ${what}`);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
let failed = null;
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // no script runs on these pages, and none may be blocked or fail
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  // 1. home: search box, most quoted people, latest statements
  await page.goto(base + '/');
  check((await page.locator('#home-search input[name=q]').count()) === 1, 'home has a search box');
  check((await page.locator('.people-list li').count()) > 0, 'home lists the most quoted people');
  check((await page.locator('.latest .quote').count()) > 0, 'home lists the latest statements');
  await page.screenshot({ path: join(shots, '1-home.png'), fullPage: false });

  // 2. search "Lavrov"
  await page.locator('#home-search input[name=q]').fill('Lavrov');
  await Promise.all([page.waitForURL(/\/search\?q=Lavrov/), page.locator('#home-search input[name=q]').press('Enter')]);
  const person = page.locator('#people-hits a', { hasText: 'Lavrov' }).first();
  check((await person.count()) === 1, 'search "Lavrov" finds Sergey Lavrov among people');
  check((await page.locator('#article-hits .hit').count()) > 0, 'search "Lavrov" finds articles, with snippets');
  check((await page.locator('#article-hits mark').count()) > 0, 'snippets mark the matched word');
  await page.screenshot({ path: join(shots, '2-search.png'), fullPage: false });

  // 3. his page: name, timeline, a seed statement
  await Promise.all([page.waitForURL(/\/people\//), person.click()]);
  const name = (await page.locator('h1').innerText()).trim();
  check(name.includes('Lavrov'), `person page is Lavrov's (${name})`);
  check(await page.locator('#timeline svg.chart').isVisible(), 'the timeline chart is shown');
  const bars = await page.locator('#timeline svg.chart rect').count();
  check(bars > 0, `the timeline has bars (${bars} weeks)`);
  const rows = page.locator('table.quotes tr.quote');
  check((await rows.count()) > 0, 'his statements are listed');
  let seed = null;
  for (const s of SEED_STATEMENTS) {
    const link = page.locator('table.quotes a.quote-link', { hasText: s }).first();
    if ((await link.count()) > 0) { seed = { s, link }; break; }
  }
  check(seed !== null, 'at least one seed statement is on his page');
  log(`seed statement: "${seed.s}"`);
  await page.screenshot({ path: join(shots, '3-person.png'), fullPage: true });

  // 4. the article, with the statement highlighted
  await Promise.all([page.waitForURL(/\/articles\/\d+#q\d+/), seed.link.click()]);
  const anchor = new URL(page.url()).hash.slice(1);
  const quote = page.locator(`[data-q="${anchor.slice(1)}"].hl-content`);
  check((await quote.count()) > 0, `the statement (${anchor}) is highlighted as content`);
  const text = (await quote.allInnerTexts()).join(' ');
  check(text.includes(seed.s.split(' ').slice(0, 4).join(' ')) || seed.s === 'certain understandings', 'the highlight covers the quoted words');
  check(await quote.first().isVisible(), 'the highlighted statement is visible');
  const colour = await quote.first().evaluate((e) => getComputedStyle(e).backgroundColor);
  check(colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent', `content has a colour (${colour})`);
  const roles = await page.locator('#text .hl-source, #text .hl-cue').count();
  check(roles > 0, 'sources and cues are highlighted too');
  check((await page.locator('aside.attributions li').count()) > 0, 'the attributions are listed beside the text');
  check((await page.locator('#text a.m-person').count()) > 0, 'people mentioned are marked (and linked)');
  await page.screenshot({ path: join(shots, '4-article.png'), fullPage: false });
  // the top of the same article (the screenshot in the README)
  const articleUrl = page.url().split('#')[0];
  await page.goto(articleUrl);
  await page.screenshot({ path: join(shots, '5-article-top.png'), fullPage: false });

  // 5. the thread of the Anchorage statements: dots coloured by stance
  const threadLink = page.locator('aside.attributions li', { hasText: 'Anchorage' }).locator('a.thread-link').first();
  check((await threadLink.count()) === 1, 'a statement links to its thread');
  await Promise.all([page.waitForURL(/\/threads\//), threadLink.click()]);
  check(await page.locator('#timeline svg.stances').isVisible(), 'the thread timeline is drawn');
  const dots = page.locator('#timeline svg.stances circle');
  // one dot per dated statement (undated ones, dated "–", are listed last, not drawn)
  const lines = page.locator('table.thread-statements tr.quote');
  const undated = page.locator('table.thread-statements tr.quote td.c-date', { hasText: /^–$/ });
  const nd = await dots.count();
  const nu = await undated.count();
  check(nd >= 8 && nd === (await lines.count()) - nu, `one dot per dated statement (${nd} dots, ${nu} undated)`);
  const fills = new Map();
  let mixed = [];
  for (let i = 0; i < nd; i++) {
    const d = dots.nth(i);
    const [cls, fill] = await d.evaluate((e) => [e.getAttribute('class'), getComputedStyle(e).fill]);
    if (fills.has(cls) && fills.get(cls) !== fill) mixed.push(cls);
    fills.set(cls, fill);
  }
  check(mixed.length === 0, `the dots of one stance share one colour (${mixed.join(', ')})`);
  const colours = new Set(fills.values());
  check(fills.size >= 2 && colours.size === fills.size, `each stance has its own colour (${[...fills].map(([c, f]) => c + ' ' + f).join(', ')})`);
  const badge = page.locator('table.thread-statements .stance').first();
  const badgeColour = await badge.evaluate((e) => getComputedStyle(e).backgroundColor);
  const badgeClass = await badge.getAttribute('class');
  check(fills.get('st-' + badgeClass.split('stance-')[1]) === badgeColour, 'badges and dots use the same colour');
  check((await page.locator('.facts .event').innerText()).includes('2025-08-15'), 'the thread shows its event (2025-08-15)');
  await page.screenshot({ path: join(shots, '6-thread.png'), fullPage: false });
  // a dot leads to its statement
  await Promise.all([page.waitForURL(/#s\d+$/), dots.last().click()]);
  const target = new URL(page.url()).hash;
  check(await page.locator(`tr${target}`).isVisible(), `the dot's statement row (${target}) is shown`);

  check(problems.length === 0, `no console errors or failed requests (${problems.join('; ')})`);
} catch (e) {
  failed = e;
} finally {
  await browser.close();
}
if (failed) {
  console.error('browser: FAILED:', failed.message);
  if (problems.length) console.error('browser: problems:', problems.join('\n'));
  process.exit(1);
}
log(`all checks passed; screenshots in ${shots}`);
