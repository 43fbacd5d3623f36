// Service requests in the browser (issue 11, docs/service.md): on a phone, the self-service page
// submits a new-supply application with an ID scan through its file input, shows the request's
// code, and looks it up by that code and the phone's last 4 digits (wrong digits refused); a unit
// officer then finds it in the staff queue, opens its timeline and finishes its first step.
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
// a 1×1 PNG, built here so that the test needs no file
function png() {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}

export default async function requests({ browser, ok, eq, URL, SHOTS, vi, phone, desktop, users, signIn, watch, sql, noHorizontalScroll }) {
  const ctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
  const page = await ctx.newPage();
  const problems = watch(page);
  await page.goto(`${URL}/self`);
  await page.waitForSelector('body[data-requests-ready="1"]');
  eq(await page.textContent('#req-new-h'), vi('selfrequests.new.title'), 'self-service: the new-supply form is there, titled from the catalogue');
  eq(await page.textContent('label[for="req-phone4"]'), vi('selfrequests.phone4'), 'self-service: the request look-up fields are labelled');

  // ---- submit a new supply with an ID scan ----
  await page.fill('#req-unit', 'pa0101');
  await page.fill('#req-name', 'Phạm Thị Lan');
  await page.fill('#req-phone', '0903 123 456');
  await page.fill('#req-address', 'Xóm 2, xã Kim Thái');
  await page.setInputFiles('#req-files', { name: 'cccd.png', mimeType: 'image/png', buffer: png() });
  await page.click('#req-new-submit');
  await page.waitForSelector('#req-new-done:not([hidden])');
  const code = await page.getAttribute('#req-new-done', 'data-code');
  ok(/^PA0101-\d{4}-\d{6}$/.test(code || ''), 'the page shows the new request\'s code', code);
  eq(sql(`SELECT r.source || '|' || r.applicant_phone || '|' || count(d.id) || '|' || min(d.media_type) FROM service_request r JOIN service_document d ON d.request_id = r.id WHERE r.code = '${code}' GROUP BY r.id`),
    'self|0903123456|1|image/png', 'the request is stored with the applicant\'s phone and the scan');
  await page.screenshot({ path: join(SHOTS, 'requests-1-submitted.png'), fullPage: true });

  // ---- look it up ----
  await page.fill('#req-code-input', code.toLowerCase());
  await page.fill('#req-phone4', '0000');
  await page.click('#req-lookup-submit');
  await page.waitForSelector('#req-lookup-error:not([hidden])');
  eq(await page.textContent('#req-lookup-error'), vi('selfrequests.error.notfound'), 'wrong digits: refused with the one message');
  await page.fill('#req-phone4', '3456');
  await page.click('#req-lookup-submit');
  await page.waitForSelector('#req-result:not([hidden])');
  eq(await page.textContent('#req-code'), code, 'the look-up shows the request');
  eq(await page.textContent('#req-status'), vi('selfrequests.status.open'), '… in progress');
  eq(await page.$$eval('#req-steps li', (lis) => lis.map((li) => `${li.dataset.step}:${li.className.split(' ').pop()}`)),
    ['received:current', 'survey:todo', 'agreement:todo', 'installation:todo', 'energised:todo'], '… at its first step of five');
  ok(await noHorizontalScroll(page), 'no horizontal scroll on a phone');
  await page.screenshot({ path: join(SHOTS, 'requests-2-lookup.png'), fullPage: true });
  eq(problems, [], 'self-service requests: no script or console error');
  await ctx.close();

  // ---- the staff queue and the timeline ----
  const sctx = await browser.newContext({ ...desktop, locale: 'vi-VN' });
  const spage = await sctx.newPage();
  const sproblems = watch(spage);
  await signIn(spage, users.unit_officer.login, users.unit_officer.password);
  await spage.goto(`${URL}/requests`);
  await spage.waitForSelector(`#requests-rows tr[data-code="${code}"]`);
  eq(await spage.textContent('#screen-title'), vi('nav.requests'), 'requests: the screen opens from its address');
  await spage.waitForSelector('#requests-report table');
  await spage.screenshot({ path: join(SHOTS, 'requests-3-queue.png'), fullPage: true });
  await spage.click(`#requests-rows tr[data-code="${code}"] a`);
  await spage.waitForSelector('#requests-steps');
  eq(await spage.textContent('#requests-code'), code, 'the timeline of the request');
  await spage.fill('#requests-owner', 'khao.sat');
  await spage.click('#requests-advance');
  await spage.waitForSelector('#requests-history li[data-action="advanced"]');
  eq(sql(`SELECT step || '|' || step_owner FROM service_request WHERE code = '${code}'`), 'survey|khao.sat', 'finishing the first step moves the request to the survey, owned by khao.sat');
  await spage.screenshot({ path: join(SHOTS, 'requests-4-timeline.png'), fullPage: true });
  eq(sproblems, [], 'requests screen: no script or console error');
  await sctx.close();
}
