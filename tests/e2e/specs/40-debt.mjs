// The debt screen: the unit officer's aging summary equals the CLI's report (buckets, totals,
// chart), the drill-down unit → customers → invoices with back and forward, the XLSX download,
// an adjustment (a field error from the API, then posted and listed), the company manager locks
// a month and an adjustment dated in it is refused with the server's message, the unlock from
// the level above, the language switch, and a phone screen without horizontal scroll.
import { join } from 'node:path';
import { ensureDebtData, AS_OF, OLD } from '../debt_data.mjs';

const BUCKETS = ['not_due', 'lt_3m', 'm3_6', 'm6_12', 'y1_2', 'y2_3', 'ge_3y'];
const CHARTED = ['m3_6', 'm6_12', 'y1_2', 'y2_3', 'ge_3y'];

export default async function debt(ctx) {
  const { browser, ok, eq, URL, SHOTS, vi, en, phone, desktop, users, signIn, watch, pc, sql, grouped, noHorizontalScroll } = ctx;
  ensureDebtData(ctx);
  const cli = (...args) => JSON.parse(pc('report', 'aging', '--as-of', AS_OF, '--format', 'json', ...args));
  const unitReport = cli('--scope', 'PA0101');
  const total = unitReport.totals.find((r) => r.class === 'all');
  ok(total.m3_6 > 0 && total.m6_12 > 0 && total.y1_2 > 0, 'the data has debt aged 3–6 months, 6–12 months and 1–2 years', JSON.stringify(total));

  // ---- the unit officer: the summary ----
  const context = await browser.newContext({ ...desktop, locale: 'vi-VN', acceptDownloads: true });
  const page = await context.newPage();
  const problems = watch(page);
  await signIn(page, users.unit_officer.login, users.unit_officer.password);
  await page.goto(`${URL}/debt?as_of=${AS_OF}`);
  await page.waitForSelector('#debt-units');
  const cells = (sel) => page.$$eval(`${sel} td[data-field]`, (tds) => Object.fromEntries(tds.map((td) => [td.dataset.field, [Number(td.dataset.value), td.textContent]])));
  const shown = await cells('#debt-units tfoot tr');
  eq(BUCKETS.concat('total').map((b) => shown[b][0]), BUCKETS.concat('total').map((b) => total[b]), "the summary's totals per bucket are the CLI's report");
  eq(BUCKETS.concat('total').map((b) => shown[b][1]), BUCKETS.concat('total').map((b) => grouped(total[b], '.')), '… written the Vietnamese way');
  const unitRow = await cells('#debt-units tr[data-scope="PA0101"].debt-unit');
  const unitAll = unitReport.rows.find((r) => r.scope === 'PA0101' && r.class === 'all');
  eq(unitRow.total[0], unitAll.total, "the unit's row is the report's");
  const res = unitReport.totals.find((r) => r.class === 'residential');
  eq(await page.getAttribute('#debt-summary dd[data-class="residential"]', 'data-value'), String(res.total), 'the residential total is shown');
  eq(await page.textContent('#debt-provision'), `${grouped(total.provision, '.')}\u00a0đ`, 'the provision is shown in đồng');
  const bars = await page.$$eval('#debt-buckets g.chart-col', (gs) => gs.map((g) => [g.dataset.key, Number(g.dataset.total)]));
  eq(bars, CHARTED.map((b) => [b, total[b]]), 'the bucket chart: one bar per bucket from 3 months, to scale with the report');
  eq(await page.$$eval('#debt-trend g.chart-col', (gs) => gs.length), 12, 'the trend chart: 12 months');
  const trend = JSON.parse(pc('report', 'aging-trend', '--from', '2025-07', '--to', '2025-07', '--scope', 'PA0101', '--format', 'json')).rows.find((r) => r.class === 'all');
  eq(await page.getAttribute('#debt-trend g.chart-col[data-key="2025-07"]', 'data-total'), String(CHARTED.reduce((a, b) => a + trend[b], 0)), "… July's column is the trend report's debt from 3 months");
  const xlsx = await page.getAttribute('#debt-xlsx', 'href');
  ok(xlsx.includes(`as_of=${AS_OF}`) && xlsx.includes('format=xlsx'), 'the XLSX link carries the filters', xlsx);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#debt-xlsx')]);
  eq(download.suggestedFilename(), `aging-PA0101-${AS_OF}.xlsx`, 'the XLSX download is the report of the scope and date');
  await page.screenshot({ path: join(SHOTS, 'debt-1-summary.png'), fullPage: true });

  // ---- drill-down: unit → customers → invoices, back and forward ----
  await page.click('#debt-units tr[data-scope="PA0101"].debt-unit a');
  await page.waitForSelector('#debt-customer-table');
  eq(new globalThis.URL(page.url()).pathname, '/debt/PA0101', "the unit's customers have their own address");
  const byCustomer = cli('--scope', 'PA0101', '--by', 'customer');
  const old = byCustomer.rows.find((r) => r.customer_code === OLD);
  const oldRow = await cells(`#debt-customer-table tr[data-customer="${OLD}"]`);
  eq(BUCKETS.concat('total').map((b) => oldRow[b][0]), BUCKETS.concat('total').map((b) => old[b]), "a customer's row is the CLI's report by customer");
  eq(await page.$$eval('#debt-customer-table tbody tr', (trs) => trs.length), byCustomer.rows.length, 'every customer with debt is listed');
  await page.screenshot({ path: join(SHOTS, 'debt-2-customers.png'), fullPage: true });
  await page.click(`#debt-customer-table tr[data-customer="${OLD}"] a`);
  await page.waitForSelector('#debt-invoice-table');
  eq(new globalThis.URL(page.url()).pathname, `/debt/PA0101/${OLD}`, "the customer's invoices have their own address");
  const opens = await page.$$eval('#debt-invoice-table tbody td[data-field="open"]', (tds) => tds.map((td) => Number(td.dataset.value)));
  eq(opens.reduce((a, v) => a + v, 0), old.total, "the customer's open invoices add up to its row");
  const openNow = Number(sql(`SELECT count(*) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code = '${OLD}'`));
  eq(opens.length, openNow, '… one row per open invoice');
  await page.goBack();
  await page.waitForSelector('#debt-customer-table');
  eq(new globalThis.URL(page.url()).pathname, '/debt/PA0101', 'back: the customers again');
  await page.goForward();
  await page.waitForSelector('#debt-invoice-table');
  ok(true, 'forward: the invoices again');

  // ---- an adjustment on the customer's page ----
  await page.waitForFunction(() => document.querySelectorAll('#adj-invoice option').length > 1);
  const invoice = await page.$eval('#adj-invoice', (s) => s.options[1].value);
  await page.selectOption('#adj-invoice', invoice);
  await page.fill('#adj-amount', '-50000');
  await page.click('#debt-adj-form button[type="submit"]');
  await page.waitForSelector('#adj-reason-error:not([hidden])');
  ok((await page.getAttribute('#adj-reason', 'aria-invalid')) === 'true', "the API's error on reason is shown at the reason field", await page.textContent('#adj-reason-error'));
  const before = sql('SELECT count(*) FROM debt_adjustment');
  eq(before, '0', '… and nothing was posted');
  await page.fill('#adj-reason', 'Sai chỉ số tháng 2, biên bản kiểm tra');
  await page.click('#debt-adj-form button[type="submit"]');
  await page.waitForSelector('#debt-adj-form .notice-ok');
  ok(await page.isVisible(`#debt-adj-form a[href="/cases/${OLD}"]`), 'after the adjustment: a link to the customer\'s case for documents');
  const listed = await page.$$eval('#debt-adj-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  ok(listed.length === 1 && listed[0].includes('Sai chỉ số tháng 2') && listed[0].includes(invoice), 'the adjustment is listed with its reason and invoice', listed.join('\n'));
  eq(await page.getAttribute('#debt-adj-table td[data-field="amount"]', 'data-value'), '-50000', '… and its amount');
  eq(sql("SELECT amount || '|' || reason FROM debt_adjustment"), '-50000|Sai chỉ số tháng 2, biên bản kiểm tra', '… as posted in the database');
  await page.screenshot({ path: join(SHOTS, 'debt-3-customer.png'), fullPage: true });

  // ---- the language switch on the debt screen ----
  await page.goto(`${URL}/debt?as_of=${AS_OF}`);
  await page.waitForSelector('#debt-units');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('#debt-units');
  const heads = await page.$$eval('#debt-units thead th', (ths) => ths.map((th) => th.textContent));
  ok(heads.includes(en('debt.bucket.m3_6')) && heads.includes(en('debt.bucket.ge_3y')), 'English: the bucket headings', heads.join(' | '));
  const totalEn = await cells('#debt-units tfoot tr');
  const after = cli('--scope', 'PA0101').totals.find((r) => r.class === 'all');
  eq(after.total, total.total - 50000, "the report after the adjustment: 50,000 đ less");
  eq(totalEn.total[1], grouped(after.total, ','), 'English: the figures (as the report now) grouped with commas');
  eq(await page.textContent('#debt-adjustments h2'), en('debt.adj.title'), 'English: the adjustments heading');
  await page.screenshot({ path: join(SHOTS, 'debt-4-summary-en.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  ok(!(await page.$('#debt-lock-table button')), 'the unit officer has no unlock button on its own unit');
  ok(problems.length === 0, 'the debt screen: no script errors', problems.join('\n'));
  await context.close();

  // ---- the company manager: lock a month, an adjustment in it is refused, unlock ----
  const cctx = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const cp = await cctx.newPage();
  const cproblems = watch(cp);
  await signIn(cp, users.company.login, users.company.password);
  await cp.goto(`${URL}/debt?as_of=${AS_OF}`);
  await cp.waitForSelector('#debt-lock-form');
  await cp.selectOption('#lock-scope', 'PA0101');
  await cp.fill('#lock-period', '2025-06');
  await cp.click('#debt-lock-form button[type="submit"]');
  await cp.waitForSelector('#debt-lock-table tr[data-period="2025-06"][data-status="locked"]');
  eq(sql("SELECT o.code || '|' || l.period FROM report_lock l JOIN org_node o ON o.id = l.org_id"), 'PA0101|2025-06', 'the lock is stored for the unit and month');
  await cp.fill('#adj-customer', OLD);
  await cp.dispatchEvent('#adj-customer', 'change');
  await cp.waitForFunction(() => document.querySelectorAll('#adj-invoice option').length > 1);
  await cp.selectOption('#adj-invoice', { index: 1 });
  await cp.fill('#adj-amount', '-10000');
  await cp.fill('#adj-reason', 'Điều chỉnh vào tháng đã khóa');
  await cp.fill('#adj-date', '2025-06-20');
  await cp.click('#debt-adj-form button[type="submit"]');
  await cp.waitForSelector('#debt-adj-form .form-alert:not([hidden]), #debt-adj-form .field-error:not([hidden])');
  const refusal = await cp.$$eval('#debt-adj-form .form-alert:not([hidden]), #debt-adj-form .field-error:not([hidden])', (ps) => ps.map((p) => p.textContent).join(' '));
  ok(/locked/.test(refusal) && refusal.includes('2025-06') && refusal.includes('PA0101'), "an adjustment in the locked month is refused with the server's message", refusal);
  eq(sql('SELECT count(*) FROM debt_adjustment'), '1', '… and nothing is posted');
  await cp.screenshot({ path: join(SHOTS, 'debt-5-locked.png'), fullPage: true });
  await cp.click('#debt-lock-table tr[data-period="2025-06"] .debt-unlock button');
  await cp.fill('#debt-lock-table textarea', 'Bổ sung biên bản sau kiểm toán');
  await cp.click('#debt-lock-table .debt-unlock-form button[type="submit"]');
  await cp.waitForSelector('#debt-lock-table tr[data-period="2025-06"][data-status="unlocked"]');
  ok((await cp.textContent('#debt-lock-table tr[data-period="2025-06"]')).includes('Bổ sung biên bản sau kiểm toán'), 'the company unlocks with a reason, shown in the list');
  ok(cproblems.length === 0, 'the company manager: no script errors', cproblems.join('\n'));
  await cctx.close();

  // ---- a phone ----
  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const pp = await pctx.newPage();
  await signIn(pp, users.unit_officer.login, users.unit_officer.password);
  for (const [path, sel, shot] of [[`/debt?as_of=${AS_OF}`, '#debt-units', 'debt-6-phone.png'], [`/debt/PA0101?as_of=${AS_OF}`, '#debt-customer-table', null], [`/debt/PA0101/${OLD}?as_of=${AS_OF}`, '#debt-invoice-table', 'debt-7-phone-customer.png']]) {
    await pp.goto(`${URL}${path}`);
    await pp.waitForSelector(sel);
    ok(await noHorizontalScroll(pp), `phone: no horizontal scroll on ${path}`);
    if (shot) await pp.screenshot({ path: join(SHOTS, shot), fullPage: true });
  }
  await pp.click('#lang-switch');
  await pp.waitForFunction(() => document.documentElement.lang === 'en');
  await pp.waitForSelector('#debt-invoice-table');
  ok(await noHorizontalScroll(pp), 'phone: no horizontal scroll in English');
  await pp.click('#lang-switch');
  await pp.waitForFunction(() => document.documentElement.lang === 'vi');
  await pctx.close();
  ok(vi('debt.bucket.m3_6') !== en('debt.bucket.m3_6'), 'the catalogues differ by language');
}
