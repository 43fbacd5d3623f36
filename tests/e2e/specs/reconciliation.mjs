// The files and reconciliation screens: a company officer uploads ECPAY's statement for a day
// through the files page (one amount wrong, one transaction we never posted), sees the summary
// and, for a bad file, the bad line and column; then reconciles the day: matched and unmatched
// counts, the amount difference listed with its reference, the Excel download, and the missing
// transaction posted after a confirmation. On a desktop and on a 360-px phone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function reconciliation({ browser, ok, eq, URL, SHOTS, env, pc, sql, vi, users, signIn, watch, phone, desktop, noHorizontalScroll }) {
  // our postings through ECPAY on 24/07/2025 (customers other than the self-service one)
  pc('partner', 'add', 'ECPAY', '--name', 'Công ty CP Thanh toán điện tử ECPay', '--kind', 'collector');
  pc('pay', 'post', 'PA01010000102', '--partner', 'ECPAY', '--ref', 'EC-E2E-1', '--amount', '120000', '--paid-at', '2025-07-24 08:00');
  pc('pay', 'post', 'PA01020000103', '--partner', 'ECPAY', '--ref', 'EC-E2E-2', '--amount', '80000', '--paid-at', '2025-07-24 09:00');
  const statement = join(env.E2E_WORK, 'ecpay-2025-07-24.csv');
  writeFileSync(statement, [
    'partner,txn_ref,customer_code,amount,paid_at',
    'ECPAY,EC-E2E-1,PA01010000102,120000,2025-07-24 08:00',
    'ECPAY,EC-E2E-2,PA01020000103,85000,2025-07-24 09:00',
    'ECPAY,EC-E2E-3,PA01010000102,30000,2025-07-24 10:00',
    '',
  ].join('\n'));
  const bad = join(env.E2E_WORK, 'ecpay-bad.csv');
  writeFileSync(bad, 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,EC-E2E-9,PA01010000102,12a,2025-07-24\n');

  const ctx = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signIn(page, users.company.login, users.company.password);
  await page.goto(`${URL}/files`);
  await page.waitForSelector('#files-form');
  eq(await page.$$eval('#files-kind option', (os) => os.map((o) => o.value)),
    ['customers', 'reads', 'legacy-debt', 'collections', 'statements', 'bank-statements'], 'files: a company officer may import every kind');

  // a bad file: refused, the line and the column shown, nothing written
  const before = sql('SELECT count(*) FROM statement_line');
  await page.selectOption('#files-kind', 'statements');
  await page.selectOption('#files-partner', 'ECPAY');
  await page.setInputFiles('#files-file', bad);
  await page.click('#files-upload');
  await page.waitForSelector('#files-errors');
  eq(await page.$$eval('#files-errors tbody tr', (rs) => rs.map((r) => [...r.cells].slice(0, 2).map((c) => c.textContent))),
    [['2', 'amount']], 'files: a bad statement is refused naming line 2, column amount');
  eq(sql('SELECT count(*) FROM statement_line'), before, 'files: … and nothing was written');
  await page.screenshot({ path: join(SHOTS, 'files-1-refused.png'), fullPage: true });

  // the statement: imported, in the history
  await page.setInputFiles('#files-file', statement);
  await page.click('#files-upload');
  await page.waitForSelector('#files-summary');
  eq(await page.$$eval('#files-summary dd', (ds) => ds.slice(0, 3).map((d) => d.textContent)), ['3', '3', '0'],
    'files: the statement is imported, 3 lines');
  eq(sql("SELECT count(*) || '|' || sum(amount) FROM statement_line WHERE partner = 'ECPAY'"), '3|235000', 'files: … stored as sent');
  await page.waitForSelector('#files-history tbody tr');
  ok((await page.textContent('#files-history tbody tr')).includes('ecpay-2025-07-24.csv'), 'files: the upload heads the history');
  await page.screenshot({ path: join(SHOTS, 'files-2-imported.png'), fullPage: true });

  // the day reconciled
  await page.goto(`${URL}/reconciliation`);
  await page.waitForSelector('#recon-form');
  await page.selectOption('#recon-partner', 'ECPAY');
  await page.fill('#recon-date', '2025-07-24');
  await page.click('#recon-show');
  await page.waitForSelector('#recon-differences');
  eq([await page.textContent('#recon-transactions'), await page.textContent('#recon-matched'), await page.textContent('#recon-unmatched')],
    ['3', '1', '2'], 'reconciliation: 3 transactions, 1 matched, 2 unmatched');
  eq(await page.textContent('#recon-rate'), '33,33\u00a0%', 'reconciliation: the match rate');
  const rows = await page.$$eval('#recon-differences tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
  const wrong = rows.find((r) => r[1] === 'EC-E2E-2');
  ok(wrong && wrong[0] === vi('reconciliation.kind.amount_differs') && wrong[2] === 'PA01020000103',
    'reconciliation: the wrong amount is listed as an amount difference with its reference and customer', JSON.stringify(rows));
  ok(rows.some((r) => r[1] === 'EC-E2E-3' && r[0] === vi('reconciliation.kind.missing_in_ours')),
    'reconciliation: the transaction we never posted is listed as missing in ours', JSON.stringify(rows));
  const xlsx = await page.evaluate(async () => {
    const res = await fetch(document.getElementById('recon-xlsx').href);
    const b = new Uint8Array(await res.arrayBuffer());
    return `${res.status}|${res.headers.get('Content-Type')}|${String.fromCharCode(b[0], b[1])}`;
  });
  eq(xlsx, '200|application/vnd.openxmlformats-officedocument.spreadsheetml.sheet|PK', 'reconciliation: the Excel download is a workbook');
  await page.screenshot({ path: join(SHOTS, 'reconciliation-1.png'), fullPage: true });

  // clearing what is missing, after a confirmation
  await page.click('#recon-clear');
  await page.waitForSelector('#recon-confirm:not([hidden])');
  eq(sql("SELECT count(*) FROM payment WHERE ext_ref = 'EC-E2E-3'"), '0', 'reconciliation: asking for clearing posts nothing yet');
  await page.screenshot({ path: join(SHOTS, 'reconciliation-2-confirm.png'), fullPage: true });
  await page.click('#recon-confirm-yes');
  await page.waitForSelector('#recon-note');
  eq(sql("SELECT count(*) || '|' || sum(amount) FROM payment WHERE source = 'ECPAY' AND ext_ref = 'EC-E2E-3'"), '1|30000',
    'reconciliation: confirmed, the missing transaction is posted once');
  eq(await page.textContent('#recon-matched'), '2', 'reconciliation: … and now matches');
  ok(!(await page.$('#recon-clear')), 'reconciliation: nothing is left to clear');
  ok(problems.length === 0, 'files and reconciliation: no script errors', problems.join('\n'));
  await ctx.close();

  // on a phone
  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const mobile = await pctx.newPage();
  const problems2 = watch(mobile);
  await signIn(mobile, users.company.login, users.company.password);
  await mobile.goto(`${URL}/reconciliation/ECPAY/2025-07-24`);
  await mobile.waitForSelector('#recon-differences');
  ok(await noHorizontalScroll(mobile), 'reconciliation: no horizontal scroll at 360 px');
  await mobile.screenshot({ path: join(SHOTS, 'reconciliation-3-phone.png'), fullPage: true });
  await mobile.goto(`${URL}/files`);
  await mobile.waitForSelector('#files-history');
  ok(await noHorizontalScroll(mobile), 'files: no horizontal scroll at 360 px');
  await mobile.screenshot({ path: join(SHOTS, 'files-3-phone.png'), fullPage: true });
  ok(problems2.length === 0, 'files and reconciliation on a phone: no script errors', problems2.join('\n'));
  await pctx.close();

  // a unit officer has no reconciliation (a partner's day is above the units)
  const octx = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const officer = await octx.newPage();
  await signIn(officer, users.unit_officer.login, users.unit_officer.password);
  const menu = await officer.$$eval('.nav a[data-screen]', (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.screen));
  ok(menu.includes('files') && !menu.includes('reconciliation'), 'a unit officer: files in the menu, reconciliation not', menu.join(','));
  await octx.close();
}
