// The risk screen (docs/risk.md): June 2025 classified with small caps so that the fixture's
// customer PA01010000101, 49 days and several hundred thousand đồng overdue at the month's end,
// is high risk; a company officer sees the counts, the customer first with its score, class,
// action and reasons as the CLI's report has them, filters by class, downloads the Excel file,
// reads the weekly tracking list (what was paid since), and flags a customer; on a 360-px phone
// the screen does not scroll sideways.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function risk({ browser, ok, eq, URL, SHOTS, env, pc, sql, vi, users, signIn, watch, phone, desktop, noHorizontalScroll }) {
  const R = env.E2E_CODE;
  const ini = join(env.E2E_WORK, 'risk.ini');
  writeFileSync(ini, `${env.POWERCIS_CONFIG ? readFileSync(env.POWERCIS_CONFIG, 'utf8') : ''}
[risk]
overdue_age_cap_days = 30
overdue_amount_cap = 100000
medium_threshold = 20
high_threshold = 40
`);
  pc('--config', ini, 'risk', 'run', '--month', '2025-06');
  const report = JSON.parse(pc('report', 'risk', '--month', '2025-06', '--scope', 'PA01'));
  const first = report.customers[0];
  eq([first.customer_code, first.score, first.class, first.action, first.reasons.map((r) => `${r.code}:${r.value}:${r.points}`).join(' ')],
    [R, 50, 'high', 'guarantee', `overdue_age:49:30 overdue_amount:${first.overdue_amount}:20`],
    'risk: the CLI classifies the fixture customer high (49 days, capped amount) with a guarantee');

  const ctx = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signIn(page, users.company.login, users.company.password);
  await page.goto(`${URL}/risk?month=2025-06`);
  await page.waitForSelector('#risk-table');
  eq(await page.$$eval('#risk-counts dd', (ds) => ds.map((d) => `${d.dataset.class}:${d.textContent}`)),
    ['high', 'medium', 'low'].map((c) => `${c}:${report.counts[c]}`), 'risk: the counts per class of the scope');
  const row = await page.$eval('#risk-table tbody tr', (tr) => ({
    code: tr.dataset.customer, cls: tr.dataset.class, score: tr.querySelector('[data-field="score"]').textContent,
    action: tr.querySelector('.risk-action').textContent, reasons: [...tr.querySelectorAll('.risk-reasons li')].map((li) => li.dataset.code),
    debt: tr.querySelector('[data-field="debt"]').dataset.value,
  }));
  eq(row, { code: R, cls: 'high', score: '50', action: vi('risk.action.guarantee'), reasons: ['overdue_age', 'overdue_amount'], debt: String(first.debt) },
    'risk: the customer heads the list with its score, class, action, reasons and debt');
  ok((await page.textContent('#risk-table tbody tr .risk-reasons')).includes('49'), 'risk: the reason names the 49 days');
  eq(await page.$$eval('#risk-table tbody tr', (rs) => rs.length), report.customers.length, 'risk: every customer of the scope is listed');
  await page.screenshot({ path: join(SHOTS, 'risk-1-list.png'), fullPage: true });

  await page.selectOption('#risk-class', 'high');
  await page.click('#risk-show');
  await page.waitForFunction(() => location.search.includes('class=high'));
  // the list drawn again: every row high (a wrong filter times out here and fails the spec)
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#risk-table tbody tr')];
    return rows.length > 0 && rows.every((r) => r.dataset.class === 'high');
  });
  const high = report.customers.filter((c) => c.class === 'high').map((c) => c.customer_code);
  ok(high.includes(R), 'risk: the fixture customer is among the high-risk ones', high.join(','));
  eq(await page.$$eval('#risk-table tbody tr', (rs) => rs.map((r) => r.dataset.customer)), high, 'risk: the class filter keeps the high-risk customers only, as the CLI lists them');
  const xlsx = await page.evaluate(async () => {
    const res = await fetch(document.getElementById('risk-xlsx').href);
    const b = new Uint8Array(await res.arrayBuffer());
    return `${res.status}|${res.headers.get('Content-Type')}|${String.fromCharCode(b[0], b[1])}`;
  });
  eq(xlsx, '200|application/vnd.openxmlformats-officedocument.spreadsheetml.sheet|PK', 'risk: the Excel download is a workbook');

  // the tracking list, as of the server's day (2025-07-25): what R paid after 30 June
  const paid = sql(`SELECT COALESCE(sum(p.amount), 0) FROM payment p JOIN customer c ON c.id = p.customer_id WHERE c.code = '${R}' AND p.paid_date > '2025-06-30' AND p.paid_date <= '2025-07-25'`);
  await page.waitForSelector('#risk-tracking-table');
  eq(await page.$eval('#risk-tracking-table tbody tr', (tr) => [tr.dataset.customer, tr.querySelector('[data-field="payments_since"]').dataset.value]),
    [R, paid], 'risk: the tracking list shows the customer and what it paid since the classification');
  ok((await page.textContent('#risk-tracking h2')).includes('2025-W30'), 'risk: the tracking list names its week');
  ok(problems.length === 0, 'risk: no script errors', problems.join('\n'));

  // flagging a customer; a blank reason is refused by the server, naming the field
  await page.fill('#risk-flag-customer', 'PA01010000102');
  await page.fill('#risk-flag-reason', ' ');
  await page.click('#risk-flag-submit');
  await page.waitForSelector('#risk-flag-reason-error:not([hidden])');
  eq(sql("SELECT count(*) FROM risk_flag"), '0', 'risk: a blank reason flags nobody');
  await page.fill('#risk-flag-reason', 'Kinh doanh thua lỗ, nợ kéo dài');
  await page.click('#risk-flag-submit');
  await page.waitForFunction(() => document.getElementById('risk-flag-done').textContent !== '');
  eq(sql("SELECT c.code || '|' || f.flagged || '|' || f.reason || '|' || f.flagged_by FROM risk_flag f JOIN customer c ON c.id = f.customer_id"),
    `PA01010000102|1|Kinh doanh thua lỗ, nợ kéo dài|${users.company.login}`, 'risk: the flag is stored with who and why');
  await page.screenshot({ path: join(SHOTS, 'risk-2-flagged.png'), fullPage: true });
  await ctx.close();

  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const mobile = await pctx.newPage();
  const problems2 = watch(mobile);
  await signIn(mobile, users.company.login, users.company.password);
  await mobile.goto(`${URL}/risk?month=2025-06`);
  await mobile.waitForSelector('#risk-table');
  ok(await noHorizontalScroll(mobile), 'risk: no horizontal scroll at 360 px');
  await mobile.screenshot({ path: join(SHOTS, 'risk-3-phone.png'), fullPage: true });
  ok(problems2.length === 0, 'risk on a phone: no script errors', problems2.join('\n'));
  await pctx.close();
}
