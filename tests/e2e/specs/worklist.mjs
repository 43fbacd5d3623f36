// The account managers' screen (docs/grids.md): an account manager signs in and lands on its
// worklist, sees its grid's customer with the overdue debt the database holds and follows the
// link to the profile; the grids page lists grids with managers and counts; a company manager
// picks the account manager's worklist; another's worklist is refused; a phone screen has no
// horizontal scroll.
import { join } from 'node:path';

export default async function worklist({ browser, ok, eq, URL, SHOTS, env, vi, en, phone, desktop, users, signIn, watch, pc, sql, grouped, noHorizontalScroll }) {
  const code = env.E2E_CODE;
  const day = '2025-07-25';
  pc('grid', 'add', 'VB-E2E', '--name', 'Lưới Vụ Bản E2E', '--unit', 'PA0101');
  pc('grid', 'assign', 'VB-E2E', '--manager', users.account_manager.login, '--from', '2025-01-01');
  pc('grid', 'assign', 'VB-E2E', '--routes', 'PA0101-001,PA0101-002', '--from', '2025-01-01');
  const overdue = Number(sql(`SELECT sum(o.open) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code = '${code}' AND o.due_date < '${day}'`));
  const bills = Number(sql(`SELECT count(*) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code = '${code}' AND o.due_date < '${day}'`));
  ok(overdue > 0 && bills > 0, 'the fixture has overdue debt for the grid customer');

  const ctx = await browser.newContext({ ...desktop, locale: 'vi-VN', acceptDownloads: true });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signIn(page, users.account_manager.login, users.account_manager.password);
  await page.waitForSelector('#worklist .worklist-section');
  eq(await page.textContent('#screen-title'), vi('nav.worklist'), 'an account manager lands on its worklist');
  eq(await page.isVisible('#worklist-manager'), false, '… with no choice of manager (its own only)');

  await page.goto(`${URL}/worklist?date=${day}`);
  await page.waitForSelector(`[data-section="overdue_debt"] tr[data-customer="${code}"]`);
  const cells = await page.$$eval(`[data-section="overdue_debt"] tr[data-customer="${code}"] td`, (tds) => tds.map((td) => td.textContent));
  eq(cells[2], 'VB-E2E', 'overdue debt: the customer of the grid');
  eq(cells[3], `${grouped(overdue, '.')}\u00a0đ`, '… owing what the database has open past due');
  eq(cells[4], String(bills), '… on that many bills');
  eq(await page.$$eval('[data-section].unavailable', (s) => s.map((x) => x.dataset.section).join(',')),
    '', 'every section has its data (none marked unavailable)');
  eq(await page.getAttribute('#worklist-csv', 'href'), `/api/v1/worklist?date=${day}&format=csv`, 'the CSV link asks for the same worklist');
  await page.screenshot({ path: join(SHOTS, 'worklist-1-mine.png'), fullPage: true });

  await page.click(`[data-section="overdue_debt"] tr[data-customer="${code}"] a`);
  await page.waitForFunction((c) => location.pathname === `/customers/${c}`, code);
  eq(await page.textContent('#screen-title'), vi('nav.customers'), 'the customer link opens its profile');

  await page.goto(`${URL}/worklist/grids`);
  await page.waitForSelector('#grids tr[data-grid="VB-E2E"]');
  const g = await page.$$eval('#grids tr[data-grid="VB-E2E"] td', (tds) => tds.map((td) => td.textContent));
  eq([g[0], g[3], g[4]], ['VB-E2E', users.account_manager.login, sql("SELECT count(*) FROM customer WHERE route IN ('PA0101-001', 'PA0101-002')")],
    'the grids page: the grid, its manager and its customers');
  await page.screenshot({ path: join(SHOTS, 'worklist-2-grids.png'), fullPage: true });
  ok(problems.length === 0, 'no script errors on the worklist screens', problems.join('\n'));
  await ctx.close();

  // ---- a company manager picks the account manager ----
  const ctx2 = await browser.newContext({ ...desktop, locale: 'en-GB' });
  const page2 = await ctx2.newPage();
  await signIn(page2, users.company.login, users.company.password);
  await page2.goto(`${URL}/worklist?date=${day}`);
  await page2.waitForSelector(`#worklist-manager option[value="${users.account_manager.login}"]`, { state: 'attached' });
  await page2.selectOption('#worklist-manager', users.account_manager.login);
  await page2.click('.worklist-form button[type="submit"]');
  await page2.waitForSelector(`[data-section="overdue_debt"] tr[data-customer="${code}"]`);
  ok((await page2.textContent('.worklist-head')).includes(users.account_manager.login), "the company manager sees the account manager's worklist");
  await page2.click('#lang-switch');
  await page2.waitForFunction(() => document.documentElement.lang === 'en');
  await page2.waitForSelector(`[data-section="overdue_debt"] tr[data-customer="${code}"]`);
  eq(await page2.textContent(`[data-section="overdue_debt"] tr[data-customer="${code}"] td:nth-child(4)`), `${grouped(overdue, ',')}\u00a0VND`,
    '… the same amount, in English as English writes it');
  // the section's figures over every customer of the grid (earlier specs may add debts of their own)
  const [n, sum] = sql(`SELECT count(DISTINCT o.customer_id) || '|' || sum(o.open) FROM open_item o JOIN customer c ON c.id = o.customer_id
    JOIN org_node u ON u.id = c.unit_id WHERE u.code = 'PA0101' AND c.route IN ('PA0101-001', 'PA0101-002') AND o.due_date < '${day}'`).split('|');
  eq(await page2.textContent('[data-section="overdue_debt"] h3'), `${en('worklist.section.overdue_debt')} ${n} · ${grouped(sum, ',')}\u00a0VND`,
    "… under the section's English title with its count and total");
  await ctx2.close();

  // ---- on a phone; another manager's worklist refused ----
  const ctx3 = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const page3 = await ctx3.newPage();
  await signIn(page3, users.account_manager.login, users.account_manager.password);
  await page3.goto(`${URL}/worklist?date=${day}`);
  await page3.waitForSelector('#worklist .worklist-section');
  ok(await noHorizontalScroll(page3), 'worklist on a 360-px phone: no horizontal scroll');
  await page3.screenshot({ path: join(SHOTS, 'worklist-3-phone.png'), fullPage: true });
  const st = await page3.evaluate(async (u) => (await fetch(`/api/v1/worklist?manager=${u}`)).status, users.company.login);
  eq(st, 403, "an account manager asking for another's worklist is refused");
  await ctx3.close();
}
