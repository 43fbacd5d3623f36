// The customer service requests screen (docs/service.md, docs/api.md "Service requests").
// /requests: the queue of the account's scope (active requests by their step's deadline, with
// filters) and the month's indicator report per unit; /requests/CODE: one request's timeline
// (its steps with start, finish and deadline, the history) and, for officers, the next move
// (advance with an owner, wait with its reason, resume). Texts: i18n/<lang>/requests.json;
// styles: css/screens/requests.css.
import { get, post, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { date, number, decimal } from '../format.js';
import { h, appLink } from '../ui.js';

const WRITERS = ['administrator', 'corporation', 'company', 'unit_officer'];
const STATUSES = ['active', 'open', 'waiting', 'finished', 'cancelled'];
const PAGE = 20;
let uid = 0;

function field(label, control) {
  control.id = control.id || `requests-f${++uid}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

function alertBox() {
  const box = h('p', { class: 'error', role: 'alert', hidden: true });
  box.show = (err) => {
    box.textContent = err ? t('requests.error', { message: err.message }) : '';
    box.hidden = !err;
  };
  return box;
}

function statusBadge(status) {
  return h('span', { class: `badge requests-status requests-status-${status}`, dataset: { status } }, t(`requests.status.${status}`));
}

function lastMonth() {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

// ---- the queue ----

function queue(ctx) {
  const state = { status: 'active', type: '', offset: 0 };
  const status = h('select', { id: 'requests-filter-status' }, STATUSES.map((s) => h('option', { value: s }, t(`requests.status.${s}`))));
  const type = h('input', { type: 'text', id: 'requests-filter-type', autocomplete: 'off', placeholder: 'new_supply_lv' });
  const filter = h('form', { class: 'toolbar requests-filters' }, field(t('requests.filter.status'), status),
    field(t('requests.filter.type'), type), h('button', { type: 'submit', class: 'secondary' }, t('requests.filter.apply')));
  const errors = alertBox();
  const rows = h('tbody', { id: 'requests-rows' });
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ['code', 'type', 'applicant', 'status', 'step', 'due'].map((c) => h('th', { scope: 'col' }, t(`requests.col.${c}`))))),
    rows));
  const empty = h('p', { class: 'hint', id: 'requests-empty', hidden: true }, t('requests.empty'));
  const prev = h('button', { type: 'button', class: 'secondary' }, t('requests.prev'));
  const next = h('button', { type: 'button', class: 'secondary' }, t('requests.next'));
  async function load() {
    errors.show(null);
    let page;
    try {
      page = await get('/api/v1/requests', { status: state.status, type: state.type, limit: PAGE, offset: state.offset });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      errors.show(err);
      return;
    }
    rows.replaceChildren(...page.items.map((r) => h('tr', { dataset: { code: r.code } },
      h('td', { class: 'nowrap' }, appLink(ctx, `/requests/${encodeURIComponent(r.code)}`, r.code)),
      h('td', {}, r.type_name),
      h('td', {}, r.applicant_name),
      h('td', {}, statusBadge(r.status), r.waiting_reason ? h('div', { class: 'hint' }, r.waiting_reason) : null),
      h('td', {}, r.step),
      h('td', { class: 'nowrap' }, date(r.step_due_on)))));
    empty.hidden = page.items.length > 0;
    prev.disabled = state.offset === 0;
    next.disabled = page.next_offset === null;
  }
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { status: status.value, type: type.value.trim(), offset: 0 });
    load();
  });
  prev.addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); load(); });
  next.addEventListener('click', () => { state.offset += PAGE; load(); });
  const section = h('section', { class: 'card', 'aria-labelledby': 'requests-queue-title' },
    h('h2', { id: 'requests-queue-title' }, t('requests.queue.title')), filter, errors, table, empty, h('div', { class: 'pager' }, prev, next));
  return { section, load };
}

// ---- the indicator report ----

function report() {
  const month = h('input', { type: 'month', id: 'requests-report-month', value: lastMonth(), required: true });
  const form = h('form', { class: 'toolbar' }, field(t('requests.report.month'), month),
    h('button', { type: 'submit', class: 'secondary', id: 'requests-report-submit' }, t('requests.report.show')));
  const errors = alertBox();
  const out = h('div', { id: 'requests-report' });
  async function load() {
    errors.show(null);
    let r;
    try {
      r = await get('/api/v1/reports/service', { month: month.value });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      errors.show(err);
      return;
    }
    const pct = (v) => (v === null ? '—' : `${decimal(v, 1)}%`);
    const rowsOf = (u) => [h('tr', { class: 'requests-unit', dataset: { unit: u.unit } },
      h('th', { scope: 'row' }, u.unit), h('td', {}, ''), h('td', { class: 'num' }, number(u.received)), h('td', { class: 'num' }, number(u.finished)),
      h('td', { class: 'num' }, pct(u.within_deadline_pct)), h('td', { class: 'num' }, ''), h('td', { class: 'num' }, ''),
      h('td', { class: 'num' }, number(u.open))),
    ...u.by_type.map((ty) => h('tr', { dataset: { unit: u.unit, type: ty.type } }, h('td', {}, ''), h('td', {}, ty.type_name),
      h('td', { class: 'num' }, number(ty.received)), h('td', { class: 'num' }, number(ty.finished)),
      h('td', { class: 'num' }, pct(ty.within_deadline_pct)),
      h('td', { class: 'num' }, ty.avg_working_days === null ? '—' : decimal(ty.avg_working_days, 1)),
      h('td', { class: 'num' }, ty.p90_working_days === null ? '—' : number(ty.p90_working_days)), h('td', {}, ''))),
    ...u.open_by_reason.map((o) => h('tr', { class: 'requests-reason' }, h('td', {}, ''),
      h('td', { colspan: 6 }, o.reason || t('requests.report.not_waiting')), h('td', { class: 'num' }, number(o.count))))];
    out.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['unit', 'type', 'received', 'finished', 'within', 'avg', 'p90', 'open'].map((c) =>
        h('th', { scope: 'col' }, t(`requests.report.col.${c}`))))),
      h('tbody', {}, r.units.flatMap(rowsOf)),
      h('tfoot', {}, h('tr', { id: 'requests-report-total' }, h('th', { scope: 'row' }, t('requests.report.total')), h('td', {}, ''),
        h('td', { class: 'num' }, number(r.total.received)), h('td', { class: 'num' }, number(r.total.finished)),
        h('td', { class: 'num' }, pct(r.total.within_deadline_pct)), h('td', {}, ''), h('td', {}, ''),
        h('td', { class: 'num' }, number(r.total.open)))))));
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  const section = h('section', { class: 'card', 'aria-labelledby': 'requests-report-title' },
    h('h2', { id: 'requests-report-title' }, t('requests.report.title')), form, errors, out);
  return { section, load };
}

// ---- one request ----

async function renderOne(el, ctx, code) {
  const errors = alertBox();
  const body = h('div', {});
  async function load() {
    const r = await get(`/api/v1/requests/${encodeURIComponent(code)}`);
    const steps = h('ol', { class: 'requests-steps', id: 'requests-steps' }, r.steps.map((s) => h('li', {
      class: s.finished_on ? 'done' : s.started_on ? 'current' : 'todo', dataset: { step: s.step },
    }, h('strong', {}, s.name), ' ', t('requests.step.days', { days: s.days }), ' — ',
    s.finished_on ? t('requests.step.done', { start: date(s.started_on), end: date(s.finished_on), due: date(s.due_on) })
      : s.started_on ? t('requests.step.current', { start: date(s.started_on), due: date(s.due_on), owner: s.owner || '—' })
        : t('requests.step.todo'))));
    const history = h('ol', { class: 'requests-history', id: 'requests-history' }, r.events.map((v) => h('li', { dataset: { action: v.action } },
      `${date(v.on_date)} · ${t(`requests.action.${v.action}`)} · ${v.step} · ${v.by}`, v.reason ? ` — ${v.reason}` : '', v.note ? ` — ${v.note}` : '')));
    const parts = [
      h('p', { class: 'requests-head' }, h('strong', { id: 'requests-code' }, r.code), ' · ', r.type_name, ' · ', statusBadge(r.status)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('requests.applicant')), h('dd', {}, `${r.applicant_name}, ${r.applicant_phone}, ${r.applicant_address}`),
        h('dt', {}, t('requests.customer')), h('dd', { id: 'requests-customer' }, r.customer || '—'),
        h('dt', {}, t('requests.received')), h('dd', {}, date(r.received_on)),
        h('dt', {}, t('requests.due')), h('dd', { id: 'requests-due' }, date(r.due_on)),
        r.finished_on ? [h('dt', {}, t('requests.finished')), h('dd', { id: 'requests-finished' },
          t('requests.finished.value', { date: date(r.finished_on), days: r.working_days }))] : null,
        r.waiting_reason ? [h('dt', {}, t('requests.waiting')), h('dd', { id: 'requests-waiting' }, r.waiting_reason)] : null),
      h('h3', {}, t('requests.steps')), steps, h('h3', {}, t('requests.history')), history];
    if (WRITERS.includes(ctx.user.role) && (r.status === 'open' || r.status === 'waiting')) parts.push(moves(r));
    body.replaceChildren(...parts);
  }
  function moves(r) {
    const owner = h('input', { type: 'text', id: 'requests-owner', autocomplete: 'off' });
    const reason = h('input', { type: 'text', id: 'requests-reason', autocomplete: 'off' });
    const act = (path, payload) => async () => {
      errors.show(null);
      try {
        await post(`/api/v1/requests/${encodeURIComponent(r.code)}/${path}`, payload());
        await load();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) throw err;
        errors.show(err);
      }
    };
    return h('div', { class: 'requests-moves' },
      field(t('requests.move.owner'), owner),
      h('button', { type: 'button', class: 'primary', id: 'requests-advance', onclick: act('advance', () => ({ owner: owner.value.trim() || undefined })) }, t('requests.move.advance')),
      field(t('requests.move.reason'), reason),
      h('button', { type: 'button', class: 'secondary', id: 'requests-wait', onclick: act('wait', () => ({ reason: reason.value.trim() })) }, t('requests.move.wait')),
      r.status === 'waiting' ? h('button', { type: 'button', class: 'secondary', id: 'requests-resume', onclick: act('resume', () => ({})) }, t('requests.move.resume')) : null);
  }
  el.replaceChildren(h('section', { class: 'card' }, appLink(ctx, '/requests', t('requests.back'), { class: 'requests-back' }), errors, body));
  await load();
}

export async function render(el, ctx) {
  if (ctx.path[0]) {
    await renderOne(el, ctx, ctx.path[0]);
    return;
  }
  const q = queue(ctx);
  const r = report();
  el.replaceChildren(q.section, r.section);
  await Promise.all([q.load(), r.load()]);
}
