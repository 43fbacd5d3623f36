// The debt cases screen: a unit officer opens a case from the list, updates it with a note, uploads a
// PDF to it through the page's file input, sees it listed and downloads the same bytes; the list
// shows the case; an auditor reads it without the forms; a phone screen has no horizontal scroll.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

export default async function cases({ browser, ok, eq, URL, SHOTS, vi, en, phone, desktop, users, signIn, watch, sql, env, noHorizontalScroll }) {
  const code = env.E2E_CODE;
  const ctx = await browser.newContext({ ...desktop, locale: 'vi-VN', acceptDownloads: true });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signIn(page, users.unit_officer.login, users.unit_officer.password);
  await page.goto(`${URL}/cases`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('#cases-open');
  eq(await page.textContent('#screen-title'), vi('nav.cases'), 'cases: the screen opens from its address');
  // the list arrives after the form: wait for it rather than look once
  ok(await page.waitForSelector('#cases-empty', { state: 'visible', timeout: 10000 }).then(() => true, () => false),
    'cases: an empty list says so');

  // ---- open a case from the list's form ----
  await page.fill('#cases-open-code', code.toLowerCase());
  await page.fill('#cases-open-owner', 'lan.nt');
  await page.fill('#cases-open-next', '2025-08-05');
  await page.fill('#cases-open-note', 'Nợ 2 kỳ, đã gọi điện nhắc');
  await page.click('#cases-open-submit');
  await page.waitForSelector('#case-history');
  eq(new globalThis.URL(page.url()).pathname, `/cases/${code}`, 'opening a case shows it at /cases/CODE');
  eq(await page.textContent('#case-status'), vi('cases.status.monitoring'), 'the new case is monitored');
  eq(await page.textContent('#case-owner'), 'lan.nt', '… with its owner');
  eq(await page.textContent('#case-next'), '05/08/2025', '… and its next action date, as Vietnamese writes it');
  eq(await page.$$eval('#case-history li', (li) => li.length), 1, '… and one event in its history');
  eq(sql(`SELECT k.status || '|' || k.owner || '|' || k.next_action FROM debt_case k JOIN customer c ON c.id = k.customer_id WHERE c.code = '${code}'`),
    'monitoring|lan.nt|2025-08-05', 'the database has the case as the page shows it');

  // ---- update it with a note ----
  await page.selectOption('#case-update-status', 'notified');
  await page.fill('#case-update-note', 'Đã gửi thông báo lần 1');
  await page.click('#case-update-submit');
  await page.waitForFunction(() => document.querySelectorAll('#case-history li').length === 2);
  eq(await page.textContent('#case-status'), vi('cases.status.notified'), 'the update changes the status');
  eq(await page.textContent('#case-history li:first-child .cases-note'), 'Đã gửi thông báo lần 1', 'the history shows the note, newest first');

  // ---- upload a PDF through the file input ----
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n% biên bản làm việc với khách hàng\n%%EOF\n');
  eq(await page.$$eval('#docs-empty', (p) => p.length), 1, 'no documents yet');
  await page.setInputFiles('#doc-file', { name: 'bien ban 1.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.selectOption('#doc-kind', 'minutes');
  await page.fill('#doc-title', 'Biên bản làm việc');
  await page.screenshot({ path: join(SHOTS, 'cases-2-case-upload.png'), fullPage: true });
  await page.click('#doc-submit');
  await page.waitForSelector('#docs-list li');
  eq(await page.textContent('#docs-list li .cases-doc-link'), 'Biên bản làm việc', 'the uploaded document is listed by its title');
  ok(await page.isVisible('#doc-done'), 'the page says it was added');
  eq(await page.getAttribute('#docs-list li', 'data-sha256'), sha256(pdf), 'the listed document is the file sent (its SHA-256)');
  eq(sql(`SELECT d.media_type || '|' || d.size || '|' || d.sha256 || '|' || d.file_name FROM document d JOIN customer c ON c.id = d.customer_id WHERE c.code = '${code}'`),
    `application/pdf|${pdf.length}|${sha256(pdf)}|bien ban 1.pdf`, 'the database keeps it, typed by its content');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#docs-list li .cases-doc-link')]);
  const got = readFileSync(await download.path());
  eq(sha256(got), sha256(pdf), 'the download has the same bytes');
  eq(download.suggestedFilename(), 'bien ban 1.pdf', '… under the name it was uploaded with');
  await page.screenshot({ path: join(SHOTS, 'cases-3-case-documents.png'), fullPage: true });

  // ---- the list shows it ----
  await page.click(`.cases-back`);
  await page.waitForSelector(`#cases-rows tr[data-code="${code}"]`);
  const row = await page.$$eval(`#cases-rows tr[data-code="${code}"] td`, (tds) => tds.map((td) => td.textContent));
  eq([row[2], row[3], row[4], row[5]], [vi('cases.status.notified'), 'lan.nt', '05/08/2025', '1'], 'the list: status, owner, next action, one document');
  await page.selectOption('#cases-filter-status', 'in_court');
  await page.click('#cases-filters button[type="submit"]');
  await page.waitForSelector('#cases-empty:not([hidden])');
  ok(true, 'a status filter with no case shows the empty list');
  await page.selectOption('#cases-filter-status', '');
  await page.click('#cases-filters button[type="submit"]');
  await page.waitForSelector(`#cases-rows tr[data-code="${code}"]`);
  await page.screenshot({ path: join(SHOTS, 'cases-1-list.png'), fullPage: true });

  // English: the statuses and dates follow the language
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector(`#cases-rows tr[data-code="${code}"]`);
  const rowEn = await page.$$eval(`#cases-rows tr[data-code="${code}"] td`, (tds) => tds.map((td) => td.textContent));
  eq([rowEn[2], rowEn[4]], [en('cases.status.notified'), '05 Aug 2025'], 'English: the status and the date as English writes them');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  ok(problems.length === 0, 'cases: no script errors and no CSP violations', problems.join('\n'));
  await ctx.close();

  // ---- an auditor reads, on a phone ----
  const ctx2 = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const page2 = await ctx2.newPage();
  const problems2 = watch(page2);
  await signIn(page2, users.auditor.login, users.auditor.password);
  await page2.goto(`${URL}/cases/${code}`);
  await page2.waitForSelector('body[data-ready="1"]');
  await page2.waitForSelector('#case-history');
  eq(await page2.textContent('#case-status'), vi('cases.status.notified'), 'an auditor sees the case');
  eq(await page2.$$eval('#docs-list li', (li) => li.length), 1, '… and its document');
  eq(await page2.$$eval('#case-update, #doc-upload, #cases-open', (f) => f.length), 0, '… without the forms that change it');
  ok(await noHorizontalScroll(page2), 'the case on a 360-px phone: no horizontal scroll');
  await page2.screenshot({ path: join(SHOTS, 'cases-4-phone-auditor.png'), fullPage: true });
  await page2.goto(`${URL}/cases`);
  await page2.waitForSelector(`#cases-rows tr[data-code="${code}"]`);
  ok(await noHorizontalScroll(page2), 'the list on a 360-px phone: no horizontal scroll');
  await page2.goto(`${URL}/cases/PA02010000105`);
  await page2.waitForSelector('#screen-body .error');
  eq(await page2.textContent('#screen-body .error'), vi('cases.no_customer', { code: 'PA02010000105' }),
    'a customer outside the scope: the page says so, nothing of it is shown');
  ok(problems2.length === 0, 'cases (auditor): no script errors', problems2.join('\n'));
  await ctx2.close();
}
