// The outages screen: the reliability table of a month equals the CLI's report (scope and units,
// 3-decimal indices); an officer records an outage through the form, closes an ongoing one and
// cancels one recorded by mistake;
// a refusal shows under the field it names; an auditor sees no form; English; a phone screen
// without horizontal scroll.
import { join } from 'node:path';

const INDICES = ['saifi', 'saidi', 'caidi', 'maifi'];

export default async function outages(ctx) {
  const { browser, ok, eq, URL, SHOTS, en, phone, desktop, users, signIn, watch, pc, noHorizontalScroll } = ctx;
  const served = JSON.parse(pc('report', 'reliability', '--month', '2025-05', '--scope', 'PA0101')).rows[0].customers_served;
  ok(served >= 2, 'the fixture has customers in PA0101', served);
  pc('outage', 'add', '--scope', 'PA0101', '--start', '2025-05-03 08:00', '--end', '2025-05-03 09:30', '--customers', '2');
  pc('outage', 'add', '--scope', 'PA0101', '--start', '2025-05-04 08:00', '--end', '2025-05-04 08:05', '--customers', '1');
  const report = JSON.parse(pc('report', 'reliability', '--month', '2025-05', '--scope', 'PA01'));

  const context = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const page = await context.newPage();
  const problems = watch(page);
  await signIn(page, users.company.login, users.company.password);
  await page.goto(`${URL}/outages?month=2025-05`);
  await page.waitForSelector('#outages-reliability-table');
  const shown = await page.$$eval('#outages-reliability-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.scope,
    Number(tr.querySelector('td[data-field="customers_served"]').dataset.value),
    ...['saifi', 'saidi', 'caidi', 'maifi'].map((f) => tr.querySelector(`td[data-field="${f}"]`).dataset.value)]));
  eq(shown, report.rows.map((r) => [r.scope, r.customers_served, ...INDICES.map((k) => r[k].toFixed(3))]),
    "the reliability table is the CLI report's: scope PA01 and its units, indices to 3 decimals");
  const unit = report.rows.find((r) => r.scope === 'PA0101');
  eq([unit.saidi.toFixed(3), unit.maifi.toFixed(3)], [(180 / served).toFixed(3), (1 / served).toFixed(3)], '… PA0101: 2 × 90 min sustained, 1 × 5 min momentary');
  eq(await page.$$eval('#outages-list-table tbody tr', (trs) => trs.map((tr) => tr.dataset.kind)), ['momentary', 'sustained'],
    'the month\'s outages, newest first, 5 minutes momentary');

  // the form: a refusal under its field, then an ongoing outage recorded and closed
  await page.fill('#outages-add-scope', 'PA0101');
  await page.fill('#outages-add-start', '2025-05-20T10:00');
  await page.fill('#outages-add-end', '2025-05-20T09:00');
  await page.fill('#outages-add-value', '1');
  await page.click('#outages-add-submit');
  await page.waitForSelector('#outages-add-end-error:not([hidden])');
  ok((await page.textContent('#outages-add-end-error')).includes('is not after start'), 'an end before the start is refused under the end field');
  const before = JSON.parse(pc('outage', 'list', '--json')).length;
  await page.fill('#outages-add-end', '');
  await page.fill('#outages-add-cause', 'cây đổ vào đường dây');
  await page.click('#outages-add-submit');
  await page.waitForSelector('#outages-open-table');
  const list = JSON.parse(pc('outage', 'list', '--json'));
  eq(list.length, before + 1, 'one outage recorded');
  eq([list[0].scope, list[0].start, list[0].end, list[0].customers, list[0].cause], ['PA0101', '2025-05-20 10:00', null, 1, 'cây đổ vào đường dây'],
    '… ongoing, with what the form said');
  await page.fill(`#outages-open-table tr[data-id="${list[0].id}"] .outages-close input`, '2025-05-20T12:15');
  await page.click(`#outages-open-table tr[data-id="${list[0].id}"] .outages-close button`);
  await page.waitForSelector(`#outages-list-table tr[data-id="${list[0].id}"][data-kind="sustained"]`);
  const closed = JSON.parse(pc('outage', 'list', '--json')).find((o) => o.id === list[0].id);
  eq([closed.end, closed.minutes], ['2025-05-20 12:15', 135], 'closed from the screen: 135 minutes');
  ok(!(await page.isVisible('#outages-open')), 'nothing ongoing any more');

  // cancelling the 2 × 90 min outage recorded by mistake: the reason is required, then the
  // reliability table drops it, as the CLI report does
  const first = JSON.parse(pc('outage', 'list', '--month', '2025-05', '--json')).find((o) => o.start === '2025-05-03 08:00');
  const row = `#outages-list-table tr[data-id="${first.id}"]`;
  await page.click(`${row} .outages-cancel button`);
  ok(JSON.parse(pc('outage', 'list', '--month', '2025-05', '--json')).find((o) => o.id === first.id).status === 'closed',
    'no reason: the browser asks for one, nothing is cancelled');
  await page.fill(`${row} .outages-cancel input`, 'nhập nhầm đơn vị');
  await page.click(`${row} .outages-cancel button`);
  await page.waitForSelector(`${row}[data-status="cancelled"]`);
  const cancelled = JSON.parse(pc('outage', 'list', '--month', '2025-05', '--json')).find((o) => o.id === first.id);
  eq([cancelled.status, cancelled.cancel_reason], ['cancelled', 'nhập nhầm đơn vị'], 'cancelled from the screen with its reason');
  ok((await page.textContent(row)).includes('nhập nhầm đơn vị'), '… the row shows the reason');
  ok(!(await page.$(`${row} .outages-cancel`)), '… and no cancel form any more');
  const after = JSON.parse(pc('report', 'reliability', '--month', '2025-05', '--scope', 'PA01')).rows.find((r) => r.scope === 'PA0101');
  eq(await page.$eval('#outages-reliability-table tr[data-scope="PA0101"] td[data-field="saidi"]', (td) => td.dataset.value),
    after.saidi.toFixed(3), "the reliability table is the CLI report's after the cancellation");
  eq(after.saidi.toFixed(3), (135 / served).toFixed(3), '… only the 135 minutes closed from the screen are left');
  await page.screenshot({ path: join(SHOTS, 'outages-1-company.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('#outages-reliability-table');
  ok((await page.textContent('#outages-reliability h2')).startsWith(en('outages.reliability.title', { month: '@' }).split('@')[0]), 'English: the heading');
  eq(await page.textContent('#outages-add h2'), en('outages.add.title'), 'English: the form');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  ok(problems.length === 0, 'the outages screen: no script errors', problems.join('\n'));
  await context.close();

  // an auditor reads, on a phone
  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const pp = await pctx.newPage();
  await signIn(pp, users.auditor.login, users.auditor.password);
  await pp.goto(`${URL}/outages?month=2025-05`);
  await pp.waitForSelector('#outages-reliability-table');
  ok(!(await pp.$('#outages-add')), 'an auditor sees no form');
  ok(!(await pp.$('.outages-cancel')), '… nor a cancel button');
  ok(await noHorizontalScroll(pp), 'phone: no horizontal scroll');
  await pp.screenshot({ path: join(SHOTS, 'outages-2-phone.png'), fullPage: true });
  await pctx.close();
}
