// Browser tests of the web app (run by run.sh, which builds the fixture, starts the server and
// exports E2E_*): runs every module of specs/ in name order. Each exports a default async
// function that gets the context below (the browser, ok/eq, the catalogues, the CLI on the
// test's database, the fixture's logins, helpers) and checks one screen or flow. Prints TAP; a
// screenshot of each screen goes to $E2E_SCREENSHOTS.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = process.env;
const here = new globalThis.URL('.', import.meta.url).pathname;
const webDir = join(here, '../../web');

// The catalogue of a language: the main one and every screen's (as the shell loads them).
function catalogue(lang) {
  const all = JSON.parse(readFileSync(join(webDir, `i18n/${lang}.json`), 'utf8'));
  for (const f of readdirSync(join(webDir, `i18n/${lang}`)).sort()) {
    Object.assign(all, JSON.parse(readFileSync(join(webDir, `i18n/${lang}`, f), 'utf8')));
  }
  return all;
}
const catalogues = { vi: catalogue('vi'), en: catalogue('en') };
const lookup = (lang) => (key, params = {}) => {
  if (!Object.prototype.hasOwnProperty.call(catalogues[lang], key)) throw new Error(`no key ${key} in the ${lang} catalogue`);
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
};

let n = 0;
let failed = 0;
function ok(cond, name, detail) {
  n++;
  if (cond) {
    console.log(`ok ${n} - ${name}`);
  } else {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    if (detail !== undefined) for (const line of String(detail).split('\n')) console.log(`# ${line}`);
  }
}
function eq(actual, expected, name) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  ok(a === e, name, `expected: ${e}\nactual:   ${a}`);
}
// Digits grouped by three: "269.244" (vi) or "269,244" (en), written here by hand so that the
// tests do not share the page's formatting code.
function grouped(v, sep) {
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
// The CLI on the test's database (POWERCIS_DB, the configuration and the clock are exported).
function pc(...args) {
  return execFileSync(env.POWERCIS, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
// One SQL query on the test's database (SQLite): rows of '|'-separated fields.
function sql(query) {
  return execFileSync('sqlite3', [env.POWERCIS_DB, query], { encoding: 'utf8' }).trim();
}
// Watches a page for script errors and console errors (a 4xx that the test provokes is not one).
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource.*4[0-9][0-9]/.test(m.text())) problems.push(m.text());
  });
  return problems;
}
// Signs in through the login form; resolves when the app shows.
async function signIn(page, login, password) {
  await page.goto(`${env.E2E_URL}/`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.fill('#login-name', login);
  await page.fill('#login-password', password);
  await page.click('#login button[type="submit"]');
  await page.waitForSelector('#app-view:not([hidden])');
}

// The fixture's staff accounts (run.sh): role → {login, password, scope}.
const users = JSON.parse(env.E2E_USERS || '{}');

async function main() {
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: env.CHROMIUM,
      headless: true,
      // the machine has no outside network: no background connections, no updates
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      timeout: 60000,
    });
  } catch (err) {
    console.log(`ok 1 - browser tests # SKIP Chromium cannot start: ${String(err.message).split('\n')[0]}`);
    console.log('1..1');
    return 0;
  }
  const ctx = {
    browser, ok, eq, env, pc, sql, watch, signIn, users, grouped, noHorizontalScroll,
    URL: env.E2E_URL,
    SHOTS: env.E2E_SCREENSHOTS,
    vi: lookup('vi'),
    en: lookup('en'),
    phone: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    desktop: { viewport: { width: 1280, height: 800 } },
  };
  const only = env.E2E_ONLY ? new RegExp(env.E2E_ONLY) : null;
  try {
    for (const file of readdirSync(join(here, 'specs')).filter((f) => f.endsWith('.mjs')).sort()) {
      if (only && !only.test(file)) continue;
      console.log(`# ${file}`);
      try {
        const spec = await import(join(here, 'specs', file));
        await spec.default(ctx);
      } catch (err) {
        ok(false, `${file} ran to the end`, err.stack);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`1..${n}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
