// The login page on a phone: its texts, the focus, a failed sign-in; then the staff app: the
// navigation a role sees, the language switch, signing out.
import { join } from 'node:path';

export default async function loginPage({ browser, ok, eq, URL, SHOTS, vi, en, phone, desktop, users, signIn, watch, noHorizontalScroll }) {
  const ctx2 = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const login = await ctx2.newPage();
  const problems2 = [];
  login.on('pageerror', (e) => problems2.push(`page error: ${e.message}`));
  await login.goto(`${URL}/`);
  await login.waitForSelector('body[data-ready="1"]');
  ok(await login.isVisible('#login'), 'the login page renders (no session)');
  eq(await login.textContent('#login h1'), vi('login.title'), 'the login page: its title from the catalogue');
  eq(await login.evaluate(() => document.activeElement && document.activeElement.id), 'login-name', 'the login page: focus in the first field');
  await login.fill('#login-name', 'thungan');
  await login.fill('#login-password', 'not-the-password');
  await login.click('#login button[type="submit"]');
  await login.waitForSelector('#login-error:not([hidden])');
  const err = await login.textContent('#login-error');
  ok(err === vi('login.error.unauthenticated') || /\(mã lỗi \d+\)/.test(err), 'the login page shows the answer of a failed sign-in', err);
  ok(await noHorizontalScroll(login), 'the login page: no horizontal scroll at 360 px');
  await login.screenshot({ path: join(SHOTS, 'login-1.png'), fullPage: true });
  ok(problems2.length === 0, 'the login page: no script errors', problems2.join('\n'));
  await ctx2.close();

  // ---- signed in: the menu of the role, the language switch, signing out ----
  const ctx3 = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const page = await ctx3.newPage();
  const problems3 = watch(page);
  await signIn(page, users.cashier.login, users.cashier.password);
  const menu = async () => page.$$eval('.nav a[data-screen]', (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.screen));
  eq(await menu(), ['counter', 'customers', 'requests', 'prepaid'], 'a cashier sees the counter, the customers, the service requests and the prepaid balances only');
  eq(new globalThis.URL(page.url()).pathname, '/', 'the address is the start page');
  eq(await page.textContent('#screen-title'), vi('nav.counter'), "a cashier's first screen is the counter");
  await page.goto(`${URL}/debt`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('#screen-body .error');
  eq(await page.textContent('#screen-body .error'), vi('shell.forbidden'), 'a screen not of the role says so (the server refuses its data anyway)');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  eq(await page.textContent('#screen-title'), en('nav.debt'), 'English: the screen title changes');
  eq(await page.textContent('.nav a[data-screen="counter"]'), en('nav.counter'), 'English: the menu changes');
  eq(await page.textContent('#logout'), en('shell.logout'), 'English: the sign-out button');
  await page.screenshot({ path: join(SHOTS, 'app-1-cashier-en.png'), fullPage: true });
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  eq(await page.evaluate(() => document.documentElement.lang), 'en', 'the language is remembered after a reload');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  await page.click('#logout');
  await page.waitForSelector('#login-view:not([hidden])');
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  eq(me, 401, 'signed out: the session is over on the server');
  await signIn(page, users.administrator.login, users.administrator.password);
  eq((await menu()).length, 14, 'an administrator sees every screen');
  ok(problems3.length === 0, 'the staff app: no script errors', problems3.join('\n'));
  await ctx3.close();
}
