// The self-service page on a 360×740 phone screen (look-up, wrong digits, bills with the
// database's amounts, the consumption chart, a QR that decodes to the VietQR payload, no
// horizontal scroll, the vi → en switch).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function selfService({ browser, ok, eq, URL, SHOTS, env, vi, en, phone, grouped, noHorizontalScroll }) {
  // "2025-07:120:269244:269244 …" newest first
  const bills = env.E2E_BILLS.split(' ').map((s) => {
    const [period, kwh, amount, open] = s.split(':');
    return { period, kwh: Number(kwh), amount: Number(amount), open: Number(open) };
  });
  const ctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // a 404 for wrong digits is the answer being tested, not a fault of the page
    if (m.type() === 'error' && !/Failed to load resource.*40[0-9]/.test(m.text())) problems.push(m.text());
  });
  await page.goto(`${URL}/self`);
  await page.waitForSelector('body[data-ready="1"]');
  eq(await page.getAttribute('html', 'lang'), 'vi', 'self-service: Vietnamese by default (lang="vi")');
  eq(await page.textContent('h1'), vi('self.title'), 'self-service: the title from the catalogue');
  eq(await page.textContent('label[for="phone4"]'), vi('self.phone4'), 'self-service: the fields are labelled');
  await page.screenshot({ path: join(SHOTS, 'self-1-form.png'), fullPage: true });

  await page.fill('#code', env.E2E_CODE.toLowerCase());
  await page.fill('#phone4', '1234');
  await page.click('#submit');
  await page.waitForSelector('#lookup-error:not([hidden])');
  eq(await page.textContent('#lookup-error'), vi('self.error.notfound'), 'wrong digits: the error is shown');
  ok(await page.isHidden('#result'), 'wrong digits: no account shown');
  await page.screenshot({ path: join(SHOTS, 'self-2-wrong-digits.png'), fullPage: true });

  await page.fill('#phone4', env.E2E_PHONE4);
  await page.click('#submit');
  await page.waitForSelector('#result:not([hidden])');
  ok(await page.isHidden('#lookup-error'), 'the right digits: the error is gone');
  eq(await page.textContent('#customer-code'), env.E2E_CODE, 'the customer is shown');
  const shown = await page.$$eval('#bills li.bill', (items) => items.map((li) => ({
    period: li.dataset.period,
    kwh: li.querySelector('.bill-kwh').textContent,
    amount: li.querySelector('.bill-amount').textContent,
    open: li.querySelector('.bill-open')?.textContent ?? null,
  })));
  eq(shown.map((b) => b.period), bills.map((b) => b.period), 'the bills, newest first');
  eq(shown.map((b) => b.amount), bills.map((b) => `${grouped(b.amount, '.')}\u00a0đ`), "the bills' amounts are the database's");
  eq(shown.map((b) => b.kwh), bills.map((b) => `${b.kwh}\u00a0kWh`), "the bills' kWh are the database's");
  eq(shown.map((b) => b.open), bills.map((b) => (b.open > 0 ? `${grouped(b.open, '.')}\u00a0đ` : null)), 'what is left open on each bill');
  eq(await page.textContent('#open-total'), `${grouped(env.E2E_OPEN_TOTAL, '.')}\u00a0đ`, 'the amount to pay');
  eq(await page.textContent('#status'), vi('self.status.overdue'), 'the payment status');

  const bars = await page.$$eval('#chart svg .chart-bar', (gs) => gs.map((g) => ({
    month: g.dataset.month, kwh: Number(g.dataset.kwh), h: Number(g.querySelector('rect').getAttribute('height')),
  })));
  eq(bars.map((b) => b.kwh), [...bills].reverse().map((b) => b.kwh), 'the consumption chart: one bar per month, oldest first');
  ok(bars.length > 0 && bars.every((b) => b.h > 0) && bars[0].h > bars[2].h, 'the chart is drawn to scale', JSON.stringify(bars));

  await page.waitForFunction(() => {
    const img = document.getElementById('qr');
    return img.complete && img.naturalWidth > 0;
  });
  const qrShot = join(mkdtempSync(join(env.E2E_WORK || tmpdir(), 'qr-')), 'qr.png');
  await page.locator('#qr').screenshot({ path: qrShot });
  let decoded = '';
  try {
    decoded = execFileSync('zbarimg', ['-q', '--raw', qrShot], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (err) {
    decoded = `zbarimg failed: ${err.message}`;
  }
  eq(decoded, env.E2E_PAYLOAD, 'the QR on the page decodes to the VietQR payload');
  ok(decoded.includes(`54${String(env.E2E_OPEN_TOTAL.length).padStart(2, '0')}${env.E2E_OPEN_TOTAL}`),
    '… of the open amount', decoded);
  ok(await noHorizontalScroll(page), 'no horizontal scroll at 360 px (Vietnamese)');
  await page.screenshot({ path: join(SHOTS, 'self-3-account-vi.png'), fullPage: true });

  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  eq(await page.textContent('h1'), en('self.title'), 'English: the title changes');
  eq(await page.textContent('#status'), en('self.status.overdue'), 'English: the status changes');
  eq(await page.textContent('#lang-switch'), en('lang.switch'), 'English: the switch offers Vietnamese');
  eq(await page.textContent('#open-total'), `${grouped(env.E2E_OPEN_TOTAL, ',')}\u00a0VND`, 'English: amounts as English writes them');
  ok(await noHorizontalScroll(page), 'no horizontal scroll at 360 px (English)');
  await page.screenshot({ path: join(SHOTS, 'self-4-account-en.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  eq(await page.textContent('h1'), vi('self.title'), 'and back to Vietnamese');
  ok(problems.length === 0, 'self-service: no script errors and no CSP violations', problems.join('\n'));
  await ctx.close();

}
