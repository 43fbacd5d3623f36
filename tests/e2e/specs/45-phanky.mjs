// The phân kỳ screen: the company manager's counts per unit, the exception list and the AMR
// figures equal the CLI's reports for the quarter; the CSV download is the CLI's CSV and the
// XLSX download is named for the scope and date; the unit officer sees its own unit only; the
// language switch; a phone screen without horizontal scroll.
import { join } from 'node:path';
import { ensureDebtData, BIG, AMR } from '../debt_data.mjs';

const COUNTS = ['checked', 'ok', 'needs_more', 'needs_fewer', 'not_billed'];

export default async function phanky(ctx) {
  const { browser, ok, eq, URL, SHOTS, en, phone, desktop, users, signIn, watch, pc, grouped, noHorizontalScroll } = ctx;
  ensureDebtData(ctx);
  const report = JSON.parse(pc('report', 'phanky', '--quarter', '2025Q1', '--scope', 'PA01', '--exceptions', '--format', 'json'));
  const amr = JSON.parse(pc('report', 'amr', '--month', '2025-03', '--scope', 'PA01', '--format', 'json'));
  eq(report.rows.map((r) => `${r.customer_code}:${r.status}`), [`${BIG}:needs_more`, `${AMR}:needs_fewer`], 'the data has one customer needing more periods and one fewer');

  const context = await browser.newContext({ ...desktop, locale: 'vi-VN', acceptDownloads: true });
  const page = await context.newPage();
  const problems = watch(page);
  await signIn(page, users.company.login, users.company.password);
  await page.goto(`${URL}/phanky?quarter=2025Q1`);
  await page.waitForSelector('#phanky-unit-table');
  const counts = await page.$$eval('#phanky-unit-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.unit,
    ...Array.from(tr.querySelectorAll('td[data-field]'), (td) => Number(td.dataset.value))]));
  eq(counts, report.units.map((u) => [u.unit, ...COUNTS.map((c) => u[c])]), 'the counts per unit are the CLI report\'s');
  const totals = await page.$$eval('#phanky-unit-table tfoot td[data-field]', (tds) => tds.map((td) => Number(td.dataset.value)));
  eq(totals, COUNTS.map((c) => report.totals[c]), '… and the totals');
  const rows = await page.$$eval('#phanky-exception-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.customer, tr.dataset.status,
    ...['avg_kwh', 'required', 'configured'].map((f) => Number(tr.querySelector(`td[data-field="${f}"]`).dataset.value))]));
  eq(rows, report.rows.map((r) => [r.customer_code, r.status, r.avg_kwh, r.required, r.configured]), 'the exception list: customer, average kWh, periods required and configured');
  ok((await page.textContent(`#phanky-exception-table tr[data-customer="${BIG}"]`)).includes(`${grouped(60000, '.')}\u00a0kWh`), '… the average written in kWh');
  const amrShown = await page.$$eval('#phanky-amr-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.unit,
    ...['coverage_pct', 'success_pct'].map((f) => tr.querySelector(`td[data-field="${f}"]`).dataset.value)]));
  eq(amrShown, amr.units.map((u) => [u.unit, u.coverage_pct === null ? '' : String(u.coverage_pct), u.success_pct === null ? '' : String(u.success_pct)]), 'the AMR coverage and success per unit are the CLI report\'s');
  ok(await page.isVisible('#phanky-amr-table tr[data-unit="PA0102"] .phanky-missed') && await page.isVisible('#phanky-amr-table tr[data-unit="PA0102"] .phanky-met'),
    'AMR: a coverage under 99% is marked below target, a success over 98% as met');
  const csvHref = await page.getAttribute('#phanky-csv', 'href');
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref);
  eq(csv, pc('report', 'phanky', '--quarter', '2025Q1', '--scope', 'PA01', '--exceptions', '--format', 'csv'), "the CSV download is the CLI's CSV");
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#phanky-xlsx')]);
  eq(download.suggestedFilename(), 'phanky-PA01-2025-03-31.xlsx', 'the XLSX download of the scope and quarter');
  await page.screenshot({ path: join(SHOTS, 'phanky-1-company.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('#phanky-unit-table');
  const heads = await page.$$eval('#phanky-unit-table thead th', (ths) => ths.map((th) => th.textContent));
  eq(heads.slice(1), COUNTS.map((c) => en(`phanky.count.${c}`)), 'English: the count headings');
  eq(await page.textContent('#phanky-exceptions h2'), en('phanky.exceptions.title'), 'English: the exception list heading');
  await page.screenshot({ path: join(SHOTS, 'phanky-2-company-en.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  ok(problems.length === 0, 'the phân kỳ screen: no script errors', problems.join('\n'));
  await context.close();

  // the unit officer: its own unit, on a phone
  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const pp = await pctx.newPage();
  await signIn(pp, users.unit_officer.login, users.unit_officer.password);
  await pp.goto(`${URL}/phanky?quarter=2025Q1`);
  await pp.waitForSelector('#phanky-unit-table');
  eq(await pp.$$eval('#phanky-unit-table tbody tr', (trs) => trs.map((tr) => tr.dataset.unit)), ['PA0101'], 'the unit officer sees its own unit only');
  ok(await noHorizontalScroll(pp), 'phone: no horizontal scroll');
  await pp.screenshot({ path: join(SHOTS, 'phanky-3-phone.png'), fullPage: true });
  await pp.click('#lang-switch');
  await pp.waitForFunction(() => document.documentElement.lang === 'en');
  await pp.waitForSelector('#phanky-unit-table');
  ok(await noHorizontalScroll(pp), 'phone: no horizontal scroll in English');
  await pp.click('#lang-switch');
  await pp.waitForFunction(() => document.documentElement.lang === 'vi');
  await pctx.close();
}
