// The customers, anomalies and billing screens (issue 8): a unit officer finds a customer by its
// name typed without accents, opens the profile (invoices with the database's amounts and their
// PDF, payments, the consumption chart, the empty place for cases and documents), approves a read
// held back from billing with a reason, the transformer station, and starts a billing run; on a phone, no horizontal scroll.
import { join } from 'node:path';

export default async function customers({ browser, ok, eq, URL, SHOTS, env, vi, pc, sql, phone, users, signIn, watch, grouped, noHorizontalScroll }) {
  const code = env.E2E_CODE;
  const money = (v) => `${grouped(v, '.')}\u00a0đ`;
  const ctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const page = await ctx.newPage();
  const problems = watch(page);
  pc('customer', 'update', code, '--transformer', 'TBA Hồng Phong 2', '--reason', 'khảo sát lưới');
  await signIn(page, users.unit_officer.login, users.unit_officer.password);

  // ---- search and profile ----
  await page.goto(`${URL}/customers`);
  await page.waitForSelector('#customer-q');
  await page.fill('#customer-q', 'nguyen van duc');
  await page.click('#customer-search');
  await page.waitForSelector(`#customer-results li[data-code="${code}"]`);
  const found = await page.$$eval('#customer-results li', (lis) => lis.map((li) => li.dataset.code));
  ok(found.includes(code), 'the search without accents finds the customer', found.join(','));
  eq(await page.textContent(`#customer-results li[data-code="${code}"] .customer-name`), 'Nguyễn Văn Đức', 'the name is shown with its accents');
  ok(await noHorizontalScroll(page), 'customers search: no horizontal scroll at 360 px');
  await page.screenshot({ path: join(SHOTS, 'customers-1-search.png'), fullPage: true });

  await page.click(`#customer-results li[data-code="${code}"] a`);
  await page.waitForSelector('#customer-invoices tr.invoice');
  await page.waitForSelector('#chart svg');
  eq(new globalThis.URL(page.url()).pathname, `/customers/${code}`, 'the profile has its own address');
  eq(await page.textContent('#customer-code'), code, 'the profile shows the customer');
  eq(await page.$eval('#customer-transformer', (dd) => [dd.previousElementSibling.textContent, dd.textContent].join('|')),
    `${vi('customers.transformer')}|TBA Hồng Phong 2`, 'the profile shows the transformer station, labelled');
  const rows = sql(`SELECT i.period || '|' || i.total || '|' || COALESCE(o.open, 0) FROM invoice i LEFT JOIN open_item o ON o.invoice_id = i.id WHERE i.customer_id = (SELECT id FROM customer WHERE code = '${code}') ORDER BY i.issue_date DESC, i.id DESC`)
    .split('\n').map((l) => l.split('|'));
  const shown = await page.$$eval('#customer-invoices tr.invoice', (trs) => trs.map((tr) => ({
    period: tr.dataset.period,
    total: tr.querySelector('.invoice-total').textContent,
    open: tr.querySelector('.invoice-open').textContent,
    pdf: tr.querySelector('.invoice-pdf').getAttribute('href'),
  })));
  eq(shown.map((r) => r.period), rows.map((r) => r[0]), 'the invoices, newest first');
  eq(shown.map((r) => r.total), rows.map((r) => money(Number(r[1]))), "the invoices' amounts are the database's");
  eq(shown.map((r) => r.open), rows.map((r) => (Number(r[2]) > 0 ? money(Number(r[2])) : '—')), 'what is open on each');
  const pdf = await page.evaluate(async (href) => {
    const res = await fetch(href, { credentials: 'same-origin' });
    return `${res.status}|${new TextDecoder().decode((await res.arrayBuffer()).slice(0, 4))}`;
  }, shown[0].pdf);
  eq(pdf, '200|%PDF', "the invoice's PDF link gives the PDF");
  ok((await page.$$('#customer-payments tr.payment')).length > 0, 'the payments are listed');
  ok((await page.$$('#chart svg .chart-bar')).length === 12, 'the consumption chart: 12 months');
  await page.waitForSelector('section#customer-cases #case-title');
  eq(await page.textContent('section#customer-cases #case-title'), vi('cases.case.title', { code: env.E2E_CODE }),
    "the profile shows the customer's debt case (the cases screen's part)");
  ok(await page.$('section#customer-cases #documents') !== null, '… and its documents');
  ok(await noHorizontalScroll(page), 'customer profile: no horizontal scroll at 360 px');
  await page.screenshot({ path: join(SHOTS, 'customers-2-profile.png'), fullPage: true });

  // ---- the read-anomaly queue ----
  const other = 'PA01010000102';
  pc('read', 'add', other, '--date', '2025-06-01', '--total', '200');
  pc('read', 'add', other, '--date', '2025-07-01', '--total', '200'); // no consumption: held
  const held = sql(`SELECT r.id FROM meter_read r JOIN customer c ON c.id = r.customer_id WHERE c.code = '${other}' AND r.read_date = '2025-07-01' AND r.status = 'flagged'`);
  await page.goto(`${URL}/anomalies`);
  await page.waitForSelector(`li.anomaly[data-id="${held}"]`);
  const reasons = await page.$$eval(`li.anomaly[data-id="${held}"] .reasons li`, (lis) => lis.map((li) => li.textContent));
  ok(reasons.includes(vi('anomalies.flag.zero')), "the held read shows why it is held, in the page's language", reasons.join(' | '));
  ok(await noHorizontalScroll(page), 'anomalies: no horizontal scroll at 360 px');
  await page.screenshot({ path: join(SHOTS, 'anomalies-1-queue.png'), fullPage: true });
  await page.click(`li.anomaly[data-id="${held}"] button.approve`);
  await page.waitForSelector(`li.anomaly[data-id="${held}"] .error:not([hidden])`);
  eq(sql(`SELECT status FROM meter_read WHERE id = ${held}`), 'flagged', 'approving without a reason is refused in the page');
  await page.fill(`li.anomaly[data-id="${held}"] input.reason`, 'nhà đóng cửa tháng 6');
  await page.click(`li.anomaly[data-id="${held}"] button.approve`);
  await page.waitForSelector(`li.anomaly[data-id="${held}"]`, { state: 'detached' });
  eq(sql(`SELECT status FROM meter_read WHERE id = ${held}`), 'approved', 'approved with its reason: the database says so');
  await page.screenshot({ path: join(SHOTS, 'anomalies-2-done.png'), fullPage: true });

  // ---- billing runs ----
  await page.goto(`${URL}/billing`);
  await page.waitForSelector('#billing-period');
  await page.fill('#billing-period', '2025-07');
  await page.fill('#billing-issue', '2025-07-25');
  await page.click('.billing-start button[type="submit"]');
  await page.waitForSelector('#billing-runs tr.run');
  const run = sql("SELECT status || '|' || invoices || '|' || total FROM billing_run WHERE started_by = '" + users.unit_officer.login + "'").split('|');
  eq(run[0], 'done', 'the run started from the page is recorded, done');
  eq(await page.textContent('#billing-runs tr.run .run-total'), money(Number(run[2])), "the run's total is the database's");
  eq(await page.textContent('#billing-runs tr.run .run-status'), vi('billing.status.done'), 'its status is shown');
  ok(await noHorizontalScroll(page), 'billing: no horizontal scroll at 360 px');
  await page.screenshot({ path: join(SHOTS, 'billing-1-runs.png'), fullPage: true });

  ok(problems.length === 0, 'customers, anomalies, billing: no script errors', problems.join('\n'));
  await ctx.close();
}
