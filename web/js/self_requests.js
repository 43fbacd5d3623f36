// The service-request part of the self-service page (self.html, docs/service.md): a request looked
// up by its code and the last 4 digits of the applicant's phone (GET /api/v1/self/requests/{code}),
// and a new-supply application with documents (POST /api/v1/self/requests, files sent as base64).
// Texts: i18n/<lang>/selfrequests.json, loaded with the page's catalogue.
import { addCatalogues, currentLang, onLangChange, setLang, t } from './i18n.js';
import * as fmt from './format.js';
import { h } from './ui.js';

const $ = (id) => document.getElementById(id);
let shown = null; // the last request looked up, redrawn on a language change

function field(id, key, control) {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id, 'data-i18n': key }, t(key)), control);
}

function errorText(res, body) {
  if (res.status === 429) return t('selfrequests.error.throttled');
  if (res.status === 404) return t('selfrequests.error.notfound');
  return t('selfrequests.error.invalid', { message: (body && body.error && body.error.message) || res.status });
}

function drawResult() {
  const box = $('req-result');
  if (!shown) {
    box.hidden = true;
    return;
  }
  const r = shown;
  const en = currentLang() === 'en';
  const steps = h('ol', { class: 'req-steps', id: 'req-steps' }, r.steps.map((s) => h('li', {
    class: `req-step ${s.finished_on ? 'done' : s.started_on ? 'current' : 'todo'}`, dataset: { step: s.step },
  }, h('strong', {}, en ? s.name_en : s.name), ' — ',
  s.finished_on ? t('selfrequests.step.done', { date: fmt.date(s.finished_on) })
    : s.started_on ? t('selfrequests.step.current', { date: fmt.date(s.due_on) }) : t('selfrequests.step.todo'))));
  box.replaceChildren(
    h('p', {}, h('strong', { id: 'req-code' }, r.code), ' · ', h('span', { id: 'req-type' }, en ? r.type_name_en : r.type_name)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('selfrequests.status')), h('dd', { id: 'req-status', dataset: { status: r.status } }, t(`selfrequests.status.${r.status}`)),
      h('dt', {}, t('selfrequests.received')), h('dd', {}, fmt.date(r.received_on)),
      h('dt', {}, t('selfrequests.due')), h('dd', { id: 'req-due' }, fmt.date(r.due_on)),
      r.waiting_reason ? [h('dt', {}, t('selfrequests.waiting')), h('dd', { id: 'req-waiting' }, r.waiting_reason)] : null),
    steps);
  box.hidden = false;
}

function lookupForm() {
  const code = h('input', { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 31, required: true });
  const phone4 = h('input', { inputmode: 'numeric', pattern: '[0-9]{4}', maxlength: 4, autocomplete: 'off', required: true });
  const err = h('p', { class: 'error', role: 'alert', id: 'req-lookup-error', hidden: true });
  const form = $('req-lookup');
  form.replaceChildren(field('req-code-input', 'selfrequests.code', code), field('req-phone4', 'selfrequests.phone4', phone4), err,
    h('button', { type: 'submit', class: 'primary', id: 'req-lookup-submit', 'data-i18n': 'selfrequests.lookup.submit' }, t('selfrequests.lookup.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const c = code.value.trim().toUpperCase();
    if (!c || !/^[0-9]{4}$/.test(phone4.value)) {
      err.textContent = t('selfrequests.error.shape');
      err.hidden = false;
      return;
    }
    try {
      const res = await fetch(`/api/v1/self/requests/${encodeURIComponent(c)}?phone4=${phone4.value}`, { headers: { Accept: 'application/json' } });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        shown = null;
        drawResult();
        err.textContent = errorText(res, body);
        err.hidden = false;
        return;
      }
      shown = body;
      drawResult();
    } catch {
      err.textContent = t('selfrequests.error.network');
      err.hidden = false;
    }
  });
}

function toBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function newForm() {
  const type = h('select', {},
    h('option', { value: 'new_supply_lv', 'data-i18n': 'selfrequests.type.lv' }, t('selfrequests.type.lv')),
    h('option', { value: 'new_supply_mv', 'data-i18n': 'selfrequests.type.mv' }, t('selfrequests.type.mv')));
  const unit = h('input', { autocomplete: 'off', autocapitalize: 'characters', maxlength: 6, required: true });
  const name = h('input', { autocomplete: 'name', required: true });
  const phone = h('input', { type: 'tel', autocomplete: 'tel', required: true });
  const address = h('input', { autocomplete: 'street-address', required: true });
  const files = h('input', { type: 'file', multiple: true, accept: 'application/pdf,image/jpeg,image/png' });
  const err = h('p', { class: 'error', role: 'alert', id: 'req-new-error', hidden: true });
  const done = h('p', { class: 'status', role: 'status', id: 'req-new-done', hidden: true });
  const form = $('req-new');
  form.replaceChildren(h('p', { 'data-i18n': 'selfrequests.new.intro' }, t('selfrequests.new.intro')),
    field('req-type-select', 'selfrequests.type', type), field('req-unit', 'selfrequests.unit', unit),
    field('req-name', 'selfrequests.name', name), field('req-phone', 'selfrequests.phone', phone),
    field('req-address', 'selfrequests.address', address), field('req-files', 'selfrequests.files', files), err, done,
    h('button', { type: 'submit', class: 'primary', id: 'req-new-submit', 'data-i18n': 'selfrequests.new.submit' }, t('selfrequests.new.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    done.hidden = true;
    const documents = [];
    for (const f of files.files) documents.push({ file_name: f.name, kind: 'id', content_base64: await toBase64(f) });
    const body = { type: type.value, unit: unit.value.trim().toUpperCase(), name: name.value.trim(), phone: phone.value.trim(), address: address.value.trim(), documents };
    try {
      const res = await fetch('/api/v1/self/requests', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
      const answer = await res.json().catch(() => null);
      if (!res.ok) {
        err.textContent = errorText(res, answer);
        err.hidden = false;
        return;
      }
      done.dataset.code = answer.code;
      done.textContent = t('selfrequests.new.done', { code: answer.code, due: fmt.date(answer.due_on) });
      done.hidden = false;
      form.reset();
    } catch {
      err.textContent = t('selfrequests.error.network');
      err.hidden = false;
    }
  });
}

async function start() {
  // the page's own catalogue first (self.js loads the main one), then this part's
  while (document.body.dataset.ready !== '1') await new Promise((r) => setTimeout(r, 20));
  addCatalogues(['selfrequests']);
  await setLang(currentLang());
  lookupForm();
  newForm();
  onLangChange(drawResult);
  document.body.dataset.requestsReady = '1';
}

start();
