// The outages screen (docs/outages.md, docs/web.md): for a month (in the address, ?month=), the
// reliability indices SAIFI, SAIDI, CAIDI and MAIFI of the account's scope and each unit under it
// (GET /api/v1/reports/reliability), the outages that started in the month and those still
// ongoing (GET /api/v1/outages), and, for the roles that record outages, the form that adds one
// (POST /api/v1/outages), the closing of an ongoing one (POST /api/v1/outages/{id}/close) and the
// cancelling, with a reason, of one recorded by mistake (POST /api/v1/outages/{id}/cancel).
// Texts: i18n/<lang>/outages.json; styles: css/screens/outages.css.
import { t } from '../i18n.js';
import { get, post, newKey } from '../api.js';
import * as fmt from '../format.js';
import { h, table, field, today, empty, withQuery, showErrors, clearErrors } from '../ui.js';

const WRITERS = ['administrator', 'corporation', 'company', 'unit_officer'];
const INDICES = ['saifi', 'saidi', 'caidi', 'maifi'];

// "2026-11-05T08:00" (datetime-local) → "2026-11-05 08:00" (the API's local time)
const apiTime = (v) => (v ? v.replace('T', ' ').slice(0, 16) : '');

function reliabilityCard(report, month) {
  const row = (r) => ({
    attrs: { 'data-scope': r.scope, class: r.level === 'unit' ? null : 'outages-scope-row' },
    cells: [`${r.scope} · ${r.name}`, { text: fmt.number(r.customers_served), num: true, field: 'customers_served', value: r.customers_served },
      ...INDICES.map((k) => ({ text: fmt.decimal(r[k], 3), num: true, field: k, value: r[k].toFixed(3) })),
      { text: fmt.number(r.sustained_outages), num: true, field: 'sustained_outages', value: r.sustained_outages },
      { text: fmt.number(r.momentary_outages), num: true, field: 'momentary_outages', value: r.momentary_outages }],
  });
  return h('section', { class: 'card', id: 'outages-reliability' },
    h('h2', { tabindex: '-1' }, t('outages.reliability.title', { month: fmt.period(month) })),
    h('p', { class: 'hint' }, t('outages.reliability.rule', { minutes: report.momentary_max_minutes })),
    table([{ text: t('outages.col.scope') }, { text: t('outages.col.served'), num: true },
      ...INDICES.map((k) => ({ text: t(`outages.col.${k}`), num: true })),
      { text: t('outages.col.sustained'), num: true }, { text: t('outages.col.momentary'), num: true }],
    report.rows.map(row), null, { id: 'outages-reliability-table' }),
    h('p', { class: 'outages-downloads' },
      h('a', { href: withQuery('/api/v1/reports/reliability', { month, format: 'csv' }), download: '', class: 'button-link', id: 'outages-csv' },
        t('outages.download.csv'))));
}

function closeForm(o, done) {
  const end = h('input', { type: 'datetime-local', required: true, 'aria-label': t('outages.close.end') });
  const button = h('button', { type: 'submit', class: 'secondary' }, t('outages.close.submit'));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'outages-close', dataset: { id: o.id } }, end, button, error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      await post(`/api/v1/outages/${o.id}/close`, { end: apiTime(end.value) });
      done();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// A cancellation needs its reason: the reason field is the deliberate step (no dialog).
function cancelForm(o, done) {
  const reason = h('input', { type: 'text', required: true, maxlength: 500, autocomplete: 'off',
    placeholder: t('outages.cancel.reason'), 'aria-label': t('outages.cancel.reason') });
  const button = h('button', { type: 'submit', class: 'secondary' }, t('outages.cancel.submit'));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'outages-cancel', dataset: { id: o.id } }, reason, button, error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      await post(`/api/v1/outages/${o.id}/cancel`, { reason: reason.value });
      done();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function typeCell(o) {
  const kind = `${t(o.planned ? 'outages.planned' : 'outages.unplanned')} · ${t(`outages.kind.${o.kind}`)}`;
  if (o.status !== 'cancelled') return { node: h('span', { class: `badge outages-${o.kind}` }, kind) };
  return { node: h('span', {}, h('span', { class: 'badge outages-cancelled' }, `${kind} · ${t('outages.status.cancelled')}`),
    ' ', h('span', { class: 'outages-cancel-reason' }, o.cancel_reason)) };
}

function outagesCard(items, writer, reload, titleKey, id) {
  if (!items.length) return h('section', { class: 'card', id }, h('h2', {}, t(titleKey)), empty('outages.none'));
  return h('section', { class: 'card', id }, h('h2', {}, t(titleKey)),
    table([{ text: t('outages.col.id'), num: true }, { text: t('outages.col.scope') }, { text: t('outages.col.type') },
      { text: t('outages.col.start') }, { text: t('outages.col.end') }, { text: t('outages.col.minutes'), num: true },
      { text: t('outages.col.customers'), num: true }, { text: t('outages.col.by') },
      ...(writer ? [{ text: t('outages.col.cancel') }] : [])],
    items.map((o) => ({
      attrs: { 'data-id': o.id, 'data-kind': o.kind, 'data-status': o.status },
      cells: [{ text: String(o.id), num: true }, o.scope, typeCell(o),
        o.start,
        o.end ? o.end : o.status === 'cancelled' ? '—' : (writer ? { node: closeForm(o, reload) } : t('outages.kind.ongoing')),
        { text: o.minutes === null ? '—' : fmt.number(o.minutes), num: true, field: 'minutes', value: o.minutes ?? '' },
        { text: fmt.number(o.customers), num: true, field: 'customers', value: o.customers },
        o.selector ? `${t(`outages.by.${o.affected_by}`)} ${o.selector}` : t(`outages.by.${o.affected_by}`),
        ...(writer ? [o.status === 'cancelled' ? '' : { node: cancelForm(o, reload) }] : [])],
    })), null, { id: `${id}-table` }));
}

function addForm(ctx, done) {
  const key = { value: null };
  const scope = h('input', { type: 'text', autocomplete: 'off', required: true, value: ctx.user.scope || '' });
  const start = h('input', { type: 'datetime-local', required: true });
  const end = h('input', { type: 'datetime-local' });
  const planned = h('input', { type: 'checkbox' });
  const way = h('select', {}, ['customers', 'route', 'transformer', 'list'].map((w) => h('option', { value: w }, t(`outages.way.${w}`))));
  const value = h('textarea', { rows: 2, required: true });
  const cause = h('input', { type: 'text', autocomplete: 'off' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'outages-add-submit' }, t('outages.add.submit'));
  const result = h('p', { class: 'hint', id: 'outages-add-result', role: 'status' });
  const form = h('form', { class: 'card', id: 'outages-add' },
    h('h2', {}, t('outages.add.title')),
    h('div', { class: 'outages-grid' },
      field('outages-add-scope', t('outages.field.scope'), scope),
      field('outages-add-start', t('outages.field.start'), start),
      field('outages-add-end', t('outages.field.end'), end, t('outages.field.end.hint')),
      field('outages-add-way', t('outages.field.way'), way)),
    field('outages-add-value', t('outages.field.value'), value, t('outages.field.value.hint')),
    field('outages-add-cause', t('outages.field.cause'), cause),
    h('label', { class: 'outages-check' }, planned, ' ', t('outages.field.planned')),
    h('p', { class: 'form-alert error', role: 'alert', hidden: true }), button, result);
  planned.id = 'outages-add-planned';
  for (const input of [scope, start, end, planned, way, value, cause]) input.addEventListener('input', () => { key.value = null; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { scope: scope.value.trim().toUpperCase(), start: apiTime(start.value), planned: planned.checked };
    if (end.value) body.end = apiTime(end.value);
    if (cause.value.trim()) body.cause = cause.value.trim();
    const v = value.value.trim();
    if (way.value === 'customers') body.customers = /^\d+$/.test(v) ? Number(v) : v;
    else if (way.value === 'list') body.customers = v.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase());
    else body[way.value] = v;
    key.value = key.value || newKey();
    button.disabled = true;
    try {
      const o = await post('/api/v1/outages', body, { key: key.value });
      key.value = null;
      result.textContent = t(o.duplicate ? 'outages.add.duplicate' : 'outages.add.done', { id: o.id, customers: o.customers, notices: o.notices });
      done();
    } catch (err) {
      showErrors(form, err, { scope: 'outages-add-scope', start: 'outages-add-start', end: 'outages-add-end',
        customers: 'outages-add-value', route: 'outages-add-value', transformer: 'outages-add-value', cause: 'outages-add-cause' });
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function render(el, ctx) {
  const param = new URLSearchParams(location.search).get('month') || '';
  const month = /^\d{4}-\d{2}$/.test(param) ? param : today().slice(0, 7);
  const writer = WRITERS.includes(ctx.user.role);
  const draw = async (form) => {
    const [report, list, open] = await Promise.all([
      get('/api/v1/reports/reliability', { month }),
      get('/api/v1/outages', { month, limit: 100 }),
      get('/api/v1/outages', { open: 1, limit: 100 }),
    ]);
    const picker = h('input', { type: 'month', value: month });
    const filters = h('form', { class: 'toolbar', id: 'outages-filters' },
      field('outages-month', t('outages.month'), picker),
      h('button', { type: 'submit', class: 'secondary' }, t('outages.show')));
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      if (picker.value) ctx.navigate(withQuery('/outages', { month: picker.value }));
    });
    const reload = () => draw(form);
    const cards = [filters, reliabilityCard(report, month)];
    if (open.items.length) cards.push(outagesCard(open.items, writer, reload, 'outages.open.title', 'outages-open'));
    cards.push(outagesCard(list.items, writer, reload, 'outages.list.title', 'outages-list'));
    if (form) cards.push(form);
    el.replaceChildren(h('div', { class: 'outages' }, ...cards));
  };
  let form = null;
  if (writer) form = addForm(ctx, () => draw(form));
  await draw(form);
}
