// The debt cases screen (docs/web.md, docs/api.md "Cases and documents"). /cases: the cases of the
// account's scope by next action date, with filters and pages, and a form to open one; /cases/CODE:
// one customer's case (status, owner, next action, history), its update with a note, and the
// customer's documents with upload and download. renderCustomerCases(el, code, ctx) draws that
// part alone, for the customer profile screen. Texts: i18n/<lang>/cases.json; styles:
// css/screens/cases.css.
import { get, send, post, newKey, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { date, number } from '../format.js';
import { h } from '../ui.js';

const STATUSES = ['monitoring', 'notified', 'disconnected', 'negotiating', 'in_court', 'collected', 'written_off'];
const KINDS = ['minutes', 'invoice', 'record', 'court', 'other'];
const WRITERS = ['administrator', 'corporation', 'company', 'unit_officer'];
const READERS = [...WRITERS, 'auditor', 'read_only'];
const PAGE = 20;


let uid = 0;
// A labelled field: {id, label, control}.
function field(label, control, hint) {
  const id = control.id || `cases-f${++uid}`;
  control.id = id;
  const parts = [h('label', { for: id }, label), control];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    parts.push(h('p', { class: 'hint', id: hid }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

function statusSelect(value, withAll) {
  const s = h('select', {});
  if (withAll) s.append(h('option', { value: '' }, t('cases.filter.all')));
  for (const st of STATUSES) s.append(h('option', { value: st, selected: st === value }, t(`cases.status.${st}`)));
  return s;
}

function statusBadge(status) {
  return h('span', { class: `badge cases-status cases-status-${status}`, dataset: { status } }, t(`cases.status.${status}`));
}

// An alert region that shows an API error (or clears it).
function alertBox() {
  const box = h('p', { class: 'error', role: 'alert', hidden: true });
  box.show = (err) => {
    box.textContent = err ? t('cases.error', { message: err.message }) : '';
    box.hidden = !err;
  };
  return box;
}

function isWriter(ctx) {
  return ctx && ctx.user && WRITERS.includes(ctx.user.role);
}

function size(bytes) {
  if (bytes < 1024) return `${number(bytes)}\u00a0B`;
  if (bytes < 1024 * 1024) return `${number(Math.round(bytes / 1024))}\u00a0KB`;
  return `${number(Math.round(bytes / 104857.6) / 10)}\u00a0MB`;
}

// ---- the list ----

async function renderList(el, ctx) {
  const state = { status: '', due_by: '', owner: '', scope: '', offset: 0 };
  const status = statusSelect('', true);
  status.id = 'cases-filter-status';
  const due = h('input', { type: 'date', id: 'cases-filter-due' });
  const owner = h('input', { type: 'text', id: 'cases-filter-owner', autocomplete: 'off' });
  const scope = h('input', { type: 'text', id: 'cases-filter-scope', autocomplete: 'off', placeholder: ctx.user && ctx.user.scope });
  const filter = h('form', { class: 'toolbar cases-filters', id: 'cases-filters' },
    field(t('cases.filter.status'), status), field(t('cases.filter.due_by'), due),
    field(t('cases.filter.owner'), owner), field(t('cases.filter.scope'), scope),
    h('button', { type: 'submit', class: 'secondary' }, t('cases.filter.apply')));
  const errors = alertBox();
  const tableBody = h('tbody', { id: 'cases-rows' });
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data cases-table' },
    h('thead', {}, h('tr', {}, ['customer', 'name', 'status', 'owner', 'next', 'documents'].map((c) =>
      h('th', { scope: 'col', class: c === 'documents' ? 'num' : null }, t(`cases.col.${c}`))))),
    tableBody));
  const empty = h('p', { class: 'hint', id: 'cases-empty', hidden: true }, t('cases.empty'));
  const prev = h('button', { type: 'button', class: 'secondary', id: 'cases-prev' }, t('cases.prev'));
  const next = h('button', { type: 'button', class: 'secondary', id: 'cases-next' }, t('cases.next'));
  const pager = h('div', { class: 'pager' }, prev, next);

  async function load() {
    errors.show(null);
    let page;
    try {
      page = await get('/api/v1/cases', { status: state.status, due_by: state.due_by, owner: state.owner, scope: state.scope, limit: PAGE, offset: state.offset });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      errors.show(err);
      return;
    }
    tableBody.replaceChildren(...page.items.map((c) => h('tr', { dataset: { code: c.customer_code } },
      h('td', {}, h('a', { href: `/cases/${encodeURIComponent(c.customer_code)}`, class: 'nowrap cases-open-link' }, c.customer_code)),
      h('td', { class: 'cases-name' }, c.customer_name),
      h('td', {}, statusBadge(c.status)),
      h('td', {}, c.owner || '—'),
      h('td', { class: 'nowrap' }, c.next_action ? date(c.next_action) : '—'),
      h('td', { class: 'num' }, number(c.documents)))));
    tableBody.querySelectorAll('a.cases-open-link').forEach((a) => a.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      ctx.navigate(a.getAttribute('href'));
    }));
    empty.hidden = page.items.length > 0;
    prev.disabled = state.offset === 0;
    next.disabled = page.next_offset === null;
    pager.hidden = prev.disabled && next.disabled;
  }

  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { status: status.value, due_by: due.value, owner: owner.value.trim(), scope: scope.value.trim().toUpperCase(), offset: 0 });
    load();
  });
  prev.addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); load(); });
  next.addEventListener('click', () => { state.offset += PAGE; load(); });

  const parts = [h('section', { class: 'card', 'aria-labelledby': 'cases-list-title' },
    h('h2', { id: 'cases-list-title' }, t('cases.list.title')), filter, errors, table, empty, pager)];
  if (isWriter(ctx)) parts.unshift(openForm(ctx, null, (code) => ctx.navigate(`/cases/${encodeURIComponent(code)}`)));
  el.replaceChildren(...parts);
  await load();
}

// The form that opens a case: for a given customer (code) or one typed in.
function openForm(ctx, code, done) {
  const key = { value: null }; // one key per action, kept while the same action is retried
  const customer = h('input', { type: 'text', id: 'cases-open-code', autocomplete: 'off', required: true, value: code || '' });
  const status = statusSelect('monitoring', false);
  status.id = 'cases-open-status';
  const owner = h('input', { type: 'text', id: 'cases-open-owner', autocomplete: 'off' });
  const nextAction = h('input', { type: 'date', id: 'cases-open-next' });
  const note = h('textarea', { id: 'cases-open-note', rows: 2 });
  const errors = alertBox();
  const button = h('button', { type: 'submit', class: 'primary', id: 'cases-open-submit' }, t('cases.open.submit'));
  const form = h('form', { class: 'card cases-open', id: 'cases-open' },
    h('h2', {}, t('cases.open.title')),
    code ? null : field(t('cases.field.customer'), customer),
    h('div', { class: 'cases-grid' }, field(t('cases.field.status'), status), field(t('cases.field.owner'), owner),
      field(t('cases.field.next'), nextAction)),
    field(t('cases.field.note'), note, t('cases.field.note.hint')), errors, button);
  for (const input of [customer, status, owner, nextAction, note]) input.addEventListener('input', () => { key.value = null; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.show(null);
    const body = { customer_code: (code || customer.value).trim().toUpperCase(), status: status.value };
    if (owner.value.trim()) body.owner = owner.value.trim();
    if (nextAction.value) body.next_action = nextAction.value;
    if (note.value.trim()) body.note = note.value.trim();
    key.value = key.value || newKey();
    button.disabled = true;
    try {
      await post('/api/v1/cases', body, { key: key.value });
      key.value = null;
      done(body.customer_code);
    } catch (err) {
      errors.show(err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// ---- one customer's case and documents ----

function caseFacts(c) {
  const dl = h('dl', { class: 'facts cases-facts' },
    h('dt', {}, t('cases.field.status')), h('dd', { id: 'case-status' }, statusBadge(c.status)),
    h('dt', {}, t('cases.field.owner')), h('dd', { id: 'case-owner' }, c.owner || '—'),
    h('dt', {}, t('cases.field.next')), h('dd', { id: 'case-next' }, c.next_action ? date(c.next_action) : '—'),
    h('dt', {}, t('cases.field.opened')), h('dd', {}, date(c.opened_at)),
    h('dt', {}, t('cases.field.updated')), h('dd', {}, date(c.updated_at)));
  return dl;
}

function history(events) {
  return h('ol', { class: 'cases-history', id: 'case-history', reversed: true },
    [...events].reverse().map((v) => h('li', { class: 'cases-event' },
      h('div', { class: 'cases-event-head' }, statusBadge(v.status),
        h('span', { class: 'nowrap' }, date(v.at)), h('span', { class: 'hint' }, t('cases.by', { user: v.by }))),
      h('p', { class: 'hint cases-event-state' },
        t('cases.event.state', { owner: v.owner || '—', next: v.next_action ? date(v.next_action) : '—' })),
      v.note ? h('p', { class: 'cases-note' }, v.note) : null)));
}

function updateForm(code, c, reload) {
  const key = { value: null };
  const status = statusSelect(c.status, false);
  status.id = 'case-update-status';
  const owner = h('input', { type: 'text', id: 'case-update-owner', autocomplete: 'off', value: c.owner || '' });
  const nextAction = h('input', { type: 'date', id: 'case-update-next', value: c.next_action || '' });
  const note = h('textarea', { id: 'case-update-note', rows: 2 });
  const errors = alertBox();
  const button = h('button', { type: 'submit', class: 'primary', id: 'case-update-submit' }, t('cases.update.submit'));
  const form = h('form', { class: 'cases-update', id: 'case-update' },
    h('h3', {}, t('cases.update.title')),
    h('div', { class: 'cases-grid' }, field(t('cases.field.status'), status), field(t('cases.field.owner'), owner),
      field(t('cases.field.next'), nextAction)),
    field(t('cases.field.note'), note, t('cases.field.note.hint')), errors, button);
  for (const input of [status, owner, nextAction, note]) input.addEventListener('input', () => { key.value = null; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.show(null);
    // only what changed: the server keeps the rest, and an empty owner or date clears it
    const body = {};
    if (status.value !== c.status) body.status = status.value;
    if (owner.value.trim() !== (c.owner || '')) body.owner = owner.value.trim() || null;
    if (nextAction.value !== (c.next_action || '')) body.next_action = nextAction.value || null;
    if (note.value.trim()) body.note = note.value.trim();
    key.value = key.value || newKey();
    button.disabled = true;
    try {
      await send('PATCH', `/api/v1/customers/${encodeURIComponent(code)}/case`, body, { key: key.value });
      key.value = null;
      await reload();
    } catch (err) {
      errors.show(err);
      button.disabled = false;
    }
  });
  return form;
}

function documentList(items) {
  if (!items.length) return h('p', { class: 'hint', id: 'docs-empty' }, t('cases.docs.empty'));
  return h('ul', { class: 'cases-docs', id: 'docs-list' }, items.map((d) => h('li', {
    class: d.removed ? 'cases-doc cases-doc-removed' : 'cases-doc', dataset: { id: String(d.id), sha256: d.sha256 },
  },
  h('div', { class: 'cases-doc-head' },
    h('a', { href: `/api/v1/documents/${d.id}`, download: d.file_name, class: 'cases-doc-link' }, d.title),
    d.removed ? h('span', { class: 'badge badge-open' }, t('cases.docs.removed')) : null),
  h('p', { class: 'hint cases-doc-meta' },
    [t(`cases.kind.${d.kind}`), date(d.date), d.media_type, size(d.size)].join(' · ')))));
}

function uploadForm(code, reload) {
  const key = { value: null };
  const file = h('input', { type: 'file', id: 'doc-file', accept: 'application/pdf,image/jpeg,image/png', required: true });
  const kind = h('select', { id: 'doc-kind' }, KINDS.map((k) => h('option', { value: k }, t(`cases.kind.${k}`))));
  const title = h('input', { type: 'text', id: 'doc-title', autocomplete: 'off' });
  const day = h('input', { type: 'date', id: 'doc-date' });
  const errors = alertBox();
  const done = h('p', { class: 'notice notice-ok', id: 'doc-done', role: 'status', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary', id: 'doc-submit' }, t('cases.docs.upload'));
  const form = h('form', { class: 'cases-upload', id: 'doc-upload' },
    h('h3', {}, t('cases.docs.add')),
    field(t('cases.docs.file'), file, t('cases.docs.file.hint')),
    h('div', { class: 'cases-grid' }, field(t('cases.docs.kind'), kind), field(t('cases.docs.doc_title'), title),
      field(t('cases.docs.date'), day)),
    errors, done, button);
  for (const input of [file, kind, title, day]) input.addEventListener('input', () => { key.value = null; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.show(null);
    done.hidden = true;
    const f = file.files[0];
    if (!f) return;
    // the file itself is the body; its type is told by the server from its content
    const query = new URLSearchParams({ kind: kind.value, file_name: f.name });
    if (title.value.trim()) query.set('title', title.value.trim());
    if (day.value) query.set('date', day.value);
    key.value = key.value || newKey();
    button.disabled = true;
    try {
      const d = await post(`/api/v1/customers/${encodeURIComponent(code)}/documents?${query}`, f, { key: key.value, contentType: 'application/octet-stream' });
      key.value = null;
      await reload(t('cases.docs.added', { title: d.title }));
    } catch (err) {
      errors.show(err);
      button.disabled = false;
    }
  });
  form.showDone = (text) => {
    done.textContent = text;
    done.hidden = !text;
  };
  return form;
}

// One customer's debt case (or the form to open one) and its documents, drawn into el. For the
// customer profile screen as well as /cases/CODE. ctx: {user, navigate}.
export async function renderCustomerCases(el, code, ctx) {
  const writer = isWriter(ctx);
  // the debt module's data is not every role's (a cashier's profile shows none of it)
  if (!ctx || !ctx.user || !READERS.includes(ctx.user.role)) {
    el.replaceChildren();
    return;
  }
  async function draw(message) {
    let c = null;
    try {
      c = await get(`/api/v1/customers/${encodeURIComponent(code)}/case`);
    } catch (err) {
      // 404: no case (or no customer): the documents say which; 403: outside the scope
      if (err instanceof ApiError && err.status === 403) {
        el.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('cases.no_customer', { code })));
        return;
      }
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
    let docs = { items: [] };
    try {
      docs = await get(`/api/v1/customers/${encodeURIComponent(code)}/documents`, { all: 1, limit: 100 });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      el.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('cases.no_customer', { code })));
      return;
    }
    const caseCard = h('section', { class: 'card cases-case', id: 'case', 'aria-labelledby': 'case-title' },
      h('h2', { id: 'case-title', tabindex: '-1' }, t('cases.case.title', { code })));
    if (c) {
      caseCard.append(h('p', { class: 'cases-customer' }, c.customer_name), caseFacts(c));
      if (writer) caseCard.append(updateForm(code, c, () => draw()));
      caseCard.append(h('h3', {}, t('cases.history')), history(c.events));
    } else {
      caseCard.append(h('p', { class: 'hint', id: 'case-none' }, t('cases.case.none')));
    }
    const parts = [caseCard];
    if (!c && writer) parts.push(openForm(ctx, code, () => draw()));
    const upload = writer ? uploadForm(code, (text) => draw(text)) : null;
    parts.push(h('section', { class: 'card cases-documents', id: 'documents', 'aria-labelledby': 'docs-title' },
      h('h2', { id: 'docs-title' }, t('cases.docs.title')), documentList(docs.items), upload));
    el.replaceChildren(...parts);
    if (upload && message) upload.showDone(message);
  }
  await draw();
}

export async function render(el, ctx) {
  if (ctx.path.length) {
    const code = ctx.path[0].toUpperCase();
    const back = h('a', { href: '/cases', class: 'cases-back' }, t('cases.back'));
    back.addEventListener('click', (e) => {
      e.preventDefault();
      ctx.navigate('/cases');
    });
    const body = h('div', {});
    el.replaceChildren(h('p', {}, back), body);
    await renderCustomerCases(body, code, ctx);
    return;
  }
  await renderList(el, ctx);
}
