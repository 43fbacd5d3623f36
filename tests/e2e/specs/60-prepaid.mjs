// The prepaid screen (issue 10): a unit officer sees the prepaid balances of the unit lowest
// first, with the balance the CLI shows, opens one customer's account and a month's statement
// whose totals and rows are the CLI statement's; English headings; a phone screen without
// horizontal scroll. The data is made here through the CLI: a customer switched to prepaid, a
// partner's top-up, five days of automatic reads and their daily charges.
import { join } from 'node:path';

const CODE = 'PA01010000990';

export default async function prepaid({ browser, ok, eq, URL, SHOTS, en, phone, desktop, users, signIn, watch, pc, sql, noHorizontalScroll }) {
  if (sql(`SELECT count(*) FROM customer WHERE code = '${CODE}'`) === '0') {
    pc('customer', 'add', CODE, '--unit', 'PA0101', '--name', 'Lê Thị Trả Trước', '--address', 'Xóm 5, xã Hồng Phong',
      '--purpose', 'residential', '--phone', '0912000990', '--meter', 'PAE2E0000990', '--amr', '--valid-from', '2025-01-01');
    pc('read', 'add', CODE, '--date', '2025-05-31', '--total', '1000', '--source', 'amr');
    pc('prepaid', 'enable', '--customer', CODE, '--date', '2025-06-01');
    try { pc('partner', 'add', 'PPE2E', '--name', 'Ví điện tử E2E', '--kind', 'wallet'); } catch { /* there already */ }
    pc('pay', 'post', CODE, '--partner', 'PPE2E', '--ref', 'PPE2E-1', '--amount', '60000', '--paid-at', '2025-06-01 08:00');
    let index = 1000;
    for (let d = 1; d <= 5; d++) {
      index += 6 + d;
      const day = `2025-06-0${d}`;
      pc('read', 'add', CODE, '--date', day, '--total', String(index), '--source', 'amr');
      pc('prepaid', 'charge', '--date', day, '--customer', CODE);
    }
  }
  const cli = JSON.parse(pc('prepaid', 'statement', '--customer', CODE, '--month', '2025-06', '--format', 'json'));
  const balance = JSON.parse(pc('prepaid', 'balance', '--customer', CODE, '--json')).balance;
  eq(cli.rows.filter((r) => r.kind === 'charge').length, 5, 'the data: five daily charges');

  const context = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const page = await context.newPage();
  const problems = watch(page);
  await signIn(page, users.unit_officer.login, users.unit_officer.password);
  await page.goto(`${URL}/prepaid`);
  await page.waitForSelector('#prepaid-table');
  const shown = await page.$$eval('#prepaid-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.customer,
    Number(tr.querySelector('td[data-field="balance"]').dataset.value)]));
  const row = shown.find((r) => r[0] === CODE);
  eq(row, [CODE, balance], 'the balances list shows the customer with the CLI\'s balance');
  const values = shown.map((r) => r[1]);
  eq(values, [...values].sort((a, b) => a - b), '… lowest balance first');
  await page.screenshot({ path: join(SHOTS, 'prepaid-1-balances.png'), fullPage: true });

  await page.click(`#prepaid-table tr[data-customer="${CODE}"] a`);
  await page.waitForSelector('#prepaid-account');
  await page.goto(`${URL}/prepaid/${CODE}?month=2025-06`);
  await page.waitForSelector('#prepaid-ledger');
  eq(Number(await page.getAttribute('#prepaid-balance', 'data-value')), balance, 'the account shows the balance');
  const totals = await page.$$eval('#prepaid-totals dd', (dds) => dds.map((dd) => [dd.dataset.field, Number(dd.dataset.value)]));
  eq(totals, ['opening', 'topups', 'reversals', 'charges', 'other', 'closing'].map((k) => [k, cli[k]]), 'the statement totals are the CLI statement\'s');
  const rows = await page.$$eval('#prepaid-ledger tbody tr', (trs) => trs.map((tr) => [tr.dataset.kind,
    Number(tr.querySelector('td[data-field="amount"]').dataset.value), Number(tr.querySelector('td[data-field="balance"]').dataset.value)]));
  eq(rows, cli.rows.map((r) => [r.kind, r.amount, r.balance]), '… and its rows: kind, amount, balance after');
  await page.screenshot({ path: join(SHOTS, 'prepaid-2-statement.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('#prepaid-ledger');
  eq(await page.textContent('#prepaid-totals dt'), en('prepaid.total.opening'), 'English: the statement headings');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  ok(problems.length === 0, 'the prepaid screen: no script errors', problems.join('\n'));
  await context.close();

  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const pp = await pctx.newPage();
  await signIn(pp, users.unit_officer.login, users.unit_officer.password);
  await pp.goto(`${URL}/prepaid/${CODE}?month=2025-06`);
  await pp.waitForSelector('#prepaid-ledger');
  ok(await noHorizontalScroll(pp), 'phone: no horizontal scroll on the statement');
  await pp.goto(`${URL}/prepaid`);
  await pp.waitForSelector('#prepaid-table');
  ok(await noHorizontalScroll(pp), 'phone: no horizontal scroll on the balances');
  await pp.screenshot({ path: join(SHOTS, 'prepaid-3-phone.png'), fullPage: true });
  await pctx.close();
}
