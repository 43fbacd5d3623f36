// The counter screen as a cashier with a barcode scanner uses it: open a shift with a float, a
// wrong scan, the fixture customer's scan (typed with Enter, as a scanner does), the open total
// equal to the database's, one keystroke (pressed twice, fast) collecting exactly one payment, the
// receipt PDF in a new window, the focus back in the scan field, a reversal from the shift's list,
// the shift closed with the cash counted and the difference shown; then a 360-px phone in both
// languages. The payment is reversed and the shifts are closed, so the fixture's customer owes
// what it owed before for the specs that follow.
import { join } from 'node:path';

export default async function counter({ browser, ok, eq, URL, SHOTS, env, vi, en, sql, users, signIn, watch, grouped, phone, desktop, noHorizontalScroll }) {
  const code = env.E2E_CODE;
  const openTotal = () => Number(sql(`SELECT COALESCE(sum(o.open), 0) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code = '${code}'`));
  const vnd = (n) => `${n < 0 ? '-' : ''}${grouped(Math.abs(n), '.')}\u00a0đ`;
  const before = openTotal();
  eq(before, Number(env.E2E_OPEN_TOTAL), 'counter: the fixture customer owes what run.sh saw');

  const context = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const page = await context.newPage();
  const problems = watch(page);
  const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
  // the screen moves the focus once its data has come (a look at once raced it): wait for the
  // wanted field a few seconds, then say which has the focus
  const focusOn = async (want) => {
    await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, want,
      { timeout: 5000 }).catch(() => {});
    return focused();
  };
  await signIn(page, users.cashier.login, users.cashier.password);
  await page.waitForSelector('#counter-open:not([hidden])');
  eq(await page.textContent('#screen-title'), vi('nav.counter'), "counter: a cashier's first screen");
  eq(await focusOn('counter-float'), 'counter-float', 'counter: no shift open: the float field has the focus');
  await page.screenshot({ path: join(SHOTS, 'counter-1-open-shift.png'), fullPage: true });

  // ---- the shift ----
  await page.keyboard.type('500.000');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.counter-main:not([hidden])');
  const shift = sql(`SELECT id || '|' || opening_float FROM cashier_shift WHERE cashier = '${users.cashier.login}'`);
  const shiftId = shift.split('|')[0];
  eq(shift.split('|')[1], '500000', 'counter: the shift is opened with the float counted (500.000 typed)');
  eq(await focusOn('counter-scan'), 'counter-scan', 'counter: the shift open, the focus is in the scan field');
  ok((await page.textContent('#counter-shift')).includes(vi('counter.shift.title', { id: shiftId })), 'counter: the shift number is shown');

  // the screen reloaded finds the open shift again
  await page.reload();
  await page.waitForSelector('.counter-main:not([hidden])');
  eq(await focusOn('counter-scan'), 'counter-scan', 'counter: after a reload the open shift is found, the focus in the scan field');

  // ---- a wrong scan ----
  await page.keyboard.type(' pa01019999999');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#counter-scan-error:not([hidden])');
  eq(await page.textContent('#counter-scan-error'), vi('counter.scan.not_found', { code: 'PA01019999999' }),
    'counter: a wrong code (typed lower-case, with a space) is trimmed, upper-cased and said to be unknown');
  eq(await page.evaluate(() => {
    const i = document.getElementById('counter-scan');
    return [document.activeElement === i, i.selectionStart, i.selectionEnd, i.value.length];
  }), [true, 0, 13, 13], 'counter: … its text selected in the focused field for the next scan');

  // ---- the scan: code and Enter, as a scanner types it ----
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#counter-total');
  ok(await page.isHidden('#counter-scan-error'), 'counter: the error goes with the next scan');
  eq(await page.textContent('#counter-total'), vnd(before), "counter: the open total is the database's");
  const periods = sql(`SELECT i.period FROM open_item o JOIN invoice i ON i.id = o.invoice_id JOIN customer c ON c.id = o.customer_id WHERE c.code = '${code}' AND o.open > 0 ORDER BY i.due_date`).split('\n');
  eq(await page.$$eval('#counter-customer tbody tr', (rows) => rows.length), periods.length, 'counter: one row per open invoice');
  eq(await page.textContent('#counter-name'), sql(`SELECT name FROM customer WHERE code = '${code}'`), "counter: the customer's name");
  eq(await focused(), 'counter-scan', 'counter: the focus stays in the scan field');
  ok((await page.textContent('#counter-keys')) === vi('counter.scan.keys'), 'counter: the keys are said on screen');
  eq(await page.textContent('#counter-collect'), vi('counter.pay.submit', { amount: vnd(before) }), 'counter: the button names the amount and the keys');
  await page.screenshot({ path: join(SHOTS, 'counter-2-customer.png'), fullPage: true });

  // ---- one keystroke collects; pressed twice fast, it still posts once ----
  const pdfResponse = context.waitForEvent('response', (r) => r.url().includes('/receipt.pdf'));
  const popup = page.waitForEvent('popup');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#counter-result:not([hidden])');
  await page.waitForTimeout(300); // a second posting, had there been one, has landed by now
  const paid = sql(`SELECT count(*) || '|' || COALESCE(sum(amount), 0) FROM payment WHERE shift_id = ${shiftId}`);
  eq(paid, `1|${before}`, 'counter: exactly one payment of the full open amount is in the database (Enter pressed twice)');
  eq(openTotal(), 0, 'counter: … and the customer owes nothing');
  const receipt = sql(`SELECT receipt_no FROM payment WHERE shift_id = ${shiftId}`);
  eq(await page.textContent('#counter-result-text'), vi('counter.result.paid', { amount: vnd(before), receipt, customer: code }), 'counter: the receipt number is shown');
  eq(await focused(), 'counter-scan', 'counter: the focus is back in the scan field');
  eq(await page.inputValue('#counter-scan'), '', 'counter: … emptied for the next customer');
  const win = await popup;
  ok(win.url().endsWith(`/api/v1/payments/${receipt}/receipt.pdf`) || win.url() === 'about:blank', 'counter: the receipt opens in a new window', win.url());
  const res = await pdfResponse;
  eq(res.url(), `${URL}/api/v1/payments/${receipt}/receipt.pdf`, "counter: the new window asks for the payment's receipt PDF");
  const pdf = await page.request.get(res.url());
  eq([pdf.status(), pdf.headers()['content-type'], (await pdf.body()).subarray(0, 4).toString()], [200, 'application/pdf', '%PDF'],
    'counter: the receipt answers application/pdf and is a PDF');
  await win.close();
  eq(await page.getAttribute('#counter-receipt-link', 'href'), `/api/v1/payments/${receipt}/receipt.pdf`, 'counter: a link to print it again');
  eq(await page.$$eval('#counter-payments tbody tr', (rows) => rows.map((r) => r.dataset.receipt)), [receipt], "counter: the payment is in the shift's list");
  ok((await page.textContent('#counter-cash')).includes(vnd(before)), "counter: the shift's cash includes it");
  ok(!/\b(null|undefined|NaN)\b/.test(await page.textContent('#screen-body')), 'counter: no null, undefined or NaN on the screen');
  await page.keyboard.press('Enter');
  await page.keyboard.press('F2');
  await page.waitForTimeout(200);
  eq(sql(`SELECT count(*) FROM payment WHERE shift_id = ${shiftId}`), '1', 'counter: Enter and F2 after the collection post nothing more');
  await page.screenshot({ path: join(SHOTS, 'counter-3-collected.png'), fullPage: true });

  // ---- a reversal from the list, with its reason ----
  await page.click(`#counter-payments tr[data-receipt="${receipt}"] .counter-reverse`);
  await page.waitForSelector('.counter-reason');
  await page.click('.counter-reason button[type="submit"]');
  await page.waitForSelector('.counter-reason .error:not([hidden])');
  eq(await page.textContent('.counter-reason .error'), vi('counter.error.reason_required'), 'counter: a reversal needs a reason');
  await page.fill('.counter-reason input', 'Thu nhầm khách hàng');
  await page.click('.counter-reason button[type="submit"]');
  await page.waitForSelector(`#counter-payments tr[data-receipt="${receipt}"] .badge`);
  eq(sql(`SELECT count(*) || '|' || sum(amount) || '|' || max(reason) FROM payment WHERE shift_id = ${shiftId}`), '2|0|Thu nhầm khách hàng',
    'counter: the reversal is posted in the shift with its reason');
  eq(openTotal(), before, 'counter: … the customer owes what it owed before');
  eq(await page.$$eval('#counter-payments tbody tr', (rows) => rows.length), 2, 'counter: the list shows the payment and its reversal');
  eq(await focused(), 'counter-scan', 'counter: the focus is back in the scan field after the reversal');

  // ---- closing the shift ----
  eq(await page.textContent('#counter-expected'), vnd(500000), 'counter: the cash expected is the float (the payment was reversed)');
  await page.fill('#counter-counted', '499000');
  eq(await page.textContent('#counter-close-diff'), vi('counter.close.difference', { amount: vnd(-1000) }), 'counter: the difference as the cash is typed');
  await page.click('#counter-close button[type="submit"]');
  await page.waitForSelector('#counter-closed:not([hidden])');
  eq([await page.textContent('#counter-closed-expected'), await page.textContent('#counter-closed-counted'), await page.textContent('#counter-closed-difference')],
    [vnd(500000), vnd(499000), vnd(-1000)], 'counter: the closed shift shows expected, counted and the difference');
  eq(sql(`SELECT expected_cash || '|' || counted_cash || '|' || difference FROM shift_close WHERE shift_id = ${shiftId}`), '500000|499000|-1000',
    'counter: … as the database recorded them');
  ok(await page.isVisible('#counter-open'), 'counter: a new shift can be opened');
  await page.screenshot({ path: join(SHOTS, 'counter-4-closed.png'), fullPage: true });
  ok(problems.length === 0, 'counter: no script errors', problems.join('\n'));
  await context.close();

  // ---- a 360-px phone, both languages ----
  const pctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const ph = await pctx.newPage();
  const problems2 = watch(ph);
  await signIn(ph, users.cashier.login, users.cashier.password);
  await ph.waitForSelector('#counter-open:not([hidden])');
  await ph.fill('#counter-float', '200000');
  await ph.click('#counter-open button[type="submit"]');
  await ph.waitForSelector('.counter-main:not([hidden])');
  await ph.fill('#counter-scan', code);
  await ph.press('#counter-scan', 'Enter');
  await ph.waitForSelector('#counter-total');
  eq(await ph.textContent('#counter-total'), vnd(before), 'counter on a phone: the open total');
  ok(await noHorizontalScroll(ph), 'counter on a phone: no horizontal scroll (vi)');
  ok(await ph.$eval('#counter-total', (td) => td.getBoundingClientRect().right <= window.innerWidth), 'counter on a phone: the total is in view, not scrolled away');
  await ph.screenshot({ path: join(SHOTS, 'counter-5-phone-vi.png'), fullPage: true });
  await ph.click('#lang-switch');
  await ph.waitForFunction(() => document.documentElement.lang === 'en');
  await ph.waitForSelector('.counter-main:not([hidden])');
  eq(await ph.textContent('label[for="counter-scan"]'), en('counter.scan.label'), 'counter in English: the scan field');
  eq(await ph.textContent('#counter-close h2'), en('counter.close.title'), 'counter in English: the close');
  await ph.fill('#counter-scan', code);
  await ph.press('#counter-scan', 'Enter');
  await ph.waitForSelector('#counter-total');
  eq(await ph.textContent('#counter-total'), `${grouped(before, ',')}\u00a0VND`, 'counter in English: the total as English writes it');
  // a tap on the button collects too; the list of the shift on a phone, then the reversal
  const phoneShift = sql(`SELECT max(id) FROM cashier_shift WHERE cashier = '${users.cashier.login}'`);
  await ph.click('#counter-collect');
  await ph.waitForSelector('#counter-result:not([hidden])');
  await ph.waitForSelector('#counter-payments tbody tr');
  eq(sql(`SELECT count(*) || '|' || sum(amount) FROM payment WHERE shift_id = ${phoneShift}`), `1|${before}`, 'counter on a phone: a tap on the button collects once');
  ok(await noHorizontalScroll(ph), 'counter on a phone: no horizontal scroll with the shift\'s list (en)');
  await ph.screenshot({ path: join(SHOTS, 'counter-6-phone-en.png'), fullPage: true });
  await ph.click('#counter-payments .counter-reverse');
  await ph.fill('.counter-reason input', 'Wrong customer');
  await ph.click('.counter-reason button[type="submit"]');
  await ph.waitForSelector('#counter-payments tbody tr .badge');
  eq(sql(`SELECT count(*) || '|' || sum(amount) FROM payment WHERE shift_id = ${phoneShift}`), '2|0', 'counter on a phone: … and its reversal');
  await ph.fill('#counter-counted', '200000');
  await ph.click('#counter-close button[type="submit"]');
  await ph.waitForSelector('#counter-closed:not([hidden])');
  eq(await ph.textContent('#counter-closed-difference'), `0\u00a0VND`, 'counter in English: a balanced close');
  await ph.click('#lang-switch');
  await ph.waitForFunction(() => document.documentElement.lang === 'vi');
  ok(problems2.length === 0, 'counter on a phone: no script errors', problems2.join('\n'));
  await pctx.close();
  eq(openTotal(), before, 'counter: the fixture customer owes what it owed at the start');
}
