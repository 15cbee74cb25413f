// Drives the web UI of `onrecord serve` in headless Chromium: home →
// search "Lavrov" → his page (timeline, a seed statement, filters, a CSV
// download) → the article (the statement highlighted; printed, every
// statement shown) → the statement's thread (timeline drawn, stance muted
// and hideable) → its event; /people, /articles, /events; a search with an
// unbalanced quote; every page at 390 px wide without overflow. Saves a
// screenshot of every page.
//
//   ONRECORD_URL=http://127.0.0.1:PORT ONRECORD_SHOTS=DIR node run.mjs
//
// Exit code 0 when every check passed; the failed check otherwise.
// tests/browser.rs starts the server on a fresh record and runs this.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
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

// RFC 4180: fields separated by commas, quoted when they hold a comma, a
// quote (doubled) or a line break; records end with CRLF.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
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
  await page.screenshot({ path: join(shots, '3-person.png'), fullPage: false });
  const personUrl = page.url();
  // every statement shows its cue and links its article (and the original)
  const cues = await page.locator('table.quotes tr.quote .cue-text').allInnerTexts();
  check(cues.length === (await rows.count()) && cues.every((c) => c.trim().length > 0), `every statement shows its cue (${[...new Set(cues)].slice(0, 4).join(', ')})`);
  check((await page.locator('table.quotes tr.quote a.article-link').count()) === (await rows.count()), 'every statement links its article');
  // the stance: muted, its accuracy in the tooltip
  const st = page.locator('table.quotes .stance').first();
  const [stColour, stWeight, stBg] = await st.evaluate((e) => { const s = getComputedStyle(e); return [s.color, s.fontWeight, s.backgroundColor]; });
  const stTitle = await st.getAttribute('title');
  check(stTitle.includes('0.504') && stTitle.includes('0.496'), `the stance's tooltip gives its accuracy (${stTitle})`);
  check(Number(stWeight) < 600 && (stBg === 'rgba(0, 0, 0, 0)' || stBg === 'transparent'), `the stance is muted (${stColour}, weight ${stWeight}, background ${stBg})`);
  // a filter: one kind only
  await page.locator('#person-filters select[name=kind]').selectOption('direct');
  await Promise.all([page.waitForURL(/kind=direct/), page.locator('#person-filters button[type=submit]').click()]);
  const kinds = await page.locator('table.quotes tr.quote .c-kind').allInnerTexts();
  check(kinds.length > 0 && kinds.every((k) => k.trim().toLowerCase() === 'direct'), `the kind filter keeps direct statements only (${kinds.length})`);
  // the CSV download has the rows shown
  const shownIds = await page.locator('table.quotes tr.quote').evaluateAll((rs) => rs.map((r) => r.dataset.statement));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.export-csv').first().click()]);
  const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
  const header = csv[0];
  check(header.includes('id') && header.includes('cue') && header.includes('content') && header.includes('original'), `the CSV has a header row (${header.join(',')})`);
  const ids = csv.slice(1).map((r) => r[header.indexOf('id')]);
  check(ids.length === shownIds.length && ids.every((id, i) => id === shownIds[i]), `the CSV has the ${shownIds.length} rows shown, in order`);
  const kindCol = header.indexOf('kind');
  check(csv.slice(1).every((r) => r[kindCol] === 'direct' && r.length === header.length), 'the CSV rows are the filtered ones, whole');
  const contents = await page.locator('table.quotes tr.quote a.quote-link').allInnerTexts();
  check(csv.slice(1).every((r, i) => r[header.indexOf('content')].replace(/\s+/g, ' ').trim() === contents[i].replace(/\s+/g, ' ').trim()), 'the CSV has the statements as shown');
  await page.goto(personUrl);

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
  const top = await page.locator('.article header').innerText();
  check(/\d{4}-\d{2}-\d{2}/.test(top), 'the article shows its date at the top');
  // printed (and captured whole), every statement of the sidebar shows
  await page.emulateMedia({ media: 'print' });
  const aside = page.locator('aside.attributions');
  const n = await aside.locator('li').count();
  const clipped = await aside.evaluate((a) => {
    const box = a.getBoundingClientRect();
    const out = [];
    a.querySelectorAll('li').forEach((li, i) => {
      const r = li.getBoundingClientRect();
      if (r.height === 0 || r.bottom > box.bottom + 1 || r.top < box.top - 1) out.push(i + 1);
    });
    return { out, scroll: a.scrollHeight - a.clientHeight };
  });
  check(n >= 2 && clipped.out.length === 0 && clipped.scroll <= 1, `printed, all ${n} statements of the sidebar show (clipped: ${clipped.out.join(', ') || 'none'}, hidden ${clipped.scroll} px)`);
  await page.screenshot({ path: join(shots, '8-article-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

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
  check((await badge.getAttribute('title')).includes('0.504'), 'the thread\'s stance badges carry their accuracy');
  check((await page.locator('.facts .event').innerText()).includes('2025-08-15'), 'the thread shows its event (2025-08-15)');
  const threadCues = await page.locator('table.thread-statements tr.quote .cue-text').allInnerTexts();
  check(threadCues.length === (await lines.count()), 'every statement of the thread shows its cue');
  await page.screenshot({ path: join(shots, '6-thread.png'), fullPage: false });
  const threadUrl = page.url().split('#')[0];
  // a dot leads to its statement
  await Promise.all([page.waitForURL(/#s\d+$/), dots.last().click()]);
  const target = new URL(page.url()).hash;
  check(await page.locator(`tr${target}`).isVisible(), `the dot's statement row (${target}) is shown`);
  // stance hidden: no badges, the same statements
  await page.goto(threadUrl);
  await Promise.all([page.waitForURL(/stance=hide/), page.locator('a.stance-toggle').click()]);
  check((await page.locator('table.thread-statements .stance').count()) === 0 && (await lines.count()) > 0, 'the thread page hides the stance when asked');
  await page.goto(threadUrl);

  // 6. the thread's event, as a page (not the API's JSON)
  const eventLink = page.locator('.facts .event a.event-link');
  check((await eventLink.getAttribute('href')).startsWith('/events/'), 'the thread links its event page');
  await Promise.all([page.waitForURL(/\/events\//), eventLink.click()]);
  check((await page.locator('h1').innerText()).includes('2025-08-15'), 'the event page shows its date');
  check((await page.locator('.event-page tr.article-row').count()) > 0, 'the event page lists the articles that report it');
  await page.screenshot({ path: join(shots, '7-event.png'), fullPage: false });

  // 7. the lists: people (sortable, searchable), articles (filtered), events
  await page.goto(base + '/people');
  const peopleRows = page.locator('tr.person-row');
  check((await peopleRows.count()) > 10, `/people lists people (${await peopleRows.count()} on the first page)`);
  const counts = await page.locator('tr.person-row td.count').allInnerTexts();
  const nums = counts.map((c) => parseInt(c, 10));
  check(nums.every((v, i) => i === 0 || nums[i - 1] >= v), '/people: most statements first');
  await page.screenshot({ path: join(shots, '9-people.png'), fullPage: false });
  await Promise.all([page.waitForURL(/sort=name/), page.locator('a.sort-name').click()]);
  const names = await page.locator('tr.person-row td:first-child').allInnerTexts();
  const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
  check(names.length > 10 && names.every((v, i) => i === 0 || names[i - 1].toLowerCase() <= v.toLowerCase() || sorted[i] === v), '/people?sort=name: by name');
  await page.locator('#people-search input[name=name]').fill('lavrov');
  await Promise.all([page.waitForURL(/name=lavrov/), page.locator('#people-search button').click()]);
  check((await page.locator('tr.person-row a', { hasText: 'Lavrov' }).count()) >= 1, '/people?name=lavrov finds him');
  await page.goto(base + '/articles');
  const arts = page.locator('tr.article-row');
  check((await arts.count()) > 10, `/articles lists articles (${await arts.count()})`);
  const titles = await page.locator('tr.article-row a.article-link').allInnerTexts();
  check(titles.every((t) => t.trim().length > 0 && !/^[0-9a-f]{16,}$/.test(t.trim())), 'no article is shown by a hash');
  const outlet = await page.locator('#article-filters select[name=outlet] option').nth(1).getAttribute('value');
  await page.locator('#article-filters select[name=outlet]').selectOption(outlet);
  await Promise.all([page.waitForURL(/outlet=/), page.locator('#article-filters button').click()]);
  const outlets = await page.locator('tr.article-row td.c-outlet').allInnerTexts();
  check(outlets.length > 0 && outlets.every((o) => o.trim().toLowerCase() === outlet.toLowerCase()), `/articles?outlet=${outlet} keeps that outlet (${outlets.length})`);
  await page.screenshot({ path: join(shots, '10-articles.png'), fullPage: false });
  await page.goto(base + '/events');
  check((await page.locator('tr.event-row').count()) > 0, '/events lists events');
  check((await page.locator('tr.event-row a.event-link').first().getAttribute('href')).startsWith('/events/'), '/events links each event page');

  // 8. a search with an unbalanced quote never gives a server error
  {
    const r = await page.request.get(base + '/search?q=' + encodeURIComponent('"mutual respect'));
    const body = await r.text();
    check(r.status() === 200, `search "mutual respect (unbalanced quote) answers ${r.status()}, not a server error`);
    check(body.includes('respect'), 'search "mutual respect (unbalanced quote) finds the words');
  }

  // 9. a phone: no page wider than the screen
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const wide = [];
  for (const [name, url] of [
    ['home', base + '/'], ['search', base + '/search?q=Lavrov'], ['person', personUrl],
    ['thread', threadUrl], ['article', articleUrl], ['people', base + '/people'],
    ['articles', base + '/articles'], ['events', base + '/events'],
  ]) {
    await phone.goto(url);
    const w = await phone.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
    if (w > 390) wide.push(`${name} ${w} px`);
    if (name === 'thread' || name === 'article') await phone.screenshot({ path: join(shots, `11-phone-${name}.png`), fullPage: false });
  }
  check(wide.length === 0, `at 390 px no page overflows (${wide.join(', ') || 'none'})`);
  await phone.close();

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
