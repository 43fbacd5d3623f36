// An account manager's worklist and the service grids (docs/grids.md, docs/web.md): /worklist
// shows the customers of the grids a manager holds, by section (GET /api/v1/worklist), each
// customer a link to its profile; /worklist/grids lists the grids of the scope with their
// managers and customer counts (GET /api/v1/grids). Supervisors pick any manager of their
// scope; an account manager sees its own. Texts: i18n/<lang>/worklist.json; styles:
// css/screens/worklist.css.
import * as api from '../api.js';
import { h, appLink, table, today, withQuery, empty } from '../ui.js';
import * as fmt from '../format.js';
import { t } from '../i18n.js';

export async function render(el, ctx) {
  const grids = ctx.path[0] === 'grids';
  const tabs = h('p', { class: 'worklist-tabs' },
    appLink(ctx, '/worklist', t('worklist.tab.worklist'), { 'aria-current': grids ? null : 'page', id: 'worklist-tab' }),
    appLink(ctx, '/worklist/grids', t('worklist.tab.grids'), { 'aria-current': grids ? 'page' : null, id: 'grids-tab' }));
  el.replaceChildren(tabs);
  if (grids) await gridsPage(el, ctx);
  else await worklistPage(el, ctx);
}

async function worklistPage(el, ctx) {
  const q = new URLSearchParams(location.search);
  const own = ctx.user.role === 'account_manager';
  const date = h('input', { id: 'worklist-date', type: 'date', value: q.get('date') || today() });
  const manager = h('select', { id: 'worklist-manager' }, h('option', { value: '' }, t('worklist.me')));
  const form = h('form', { class: 'card worklist-form' },
    own ? null : h('label', { for: 'worklist-manager' }, t('worklist.manager')), own ? null : manager,
    h('label', { for: 'worklist-date' }, t('worklist.date')), date,
    h('button', { class: 'primary', type: 'submit' }, t('worklist.show')));
  const out = h('div', { id: 'worklist', 'aria-live': 'polite' });
  el.append(form, out);
  if (!own) {
    // the managers of the grids of one's scope, to pick from
    try {
      const g = await api.get('/api/v1/grids', { date: date.value });
      const logins = [...new Set(g.items.flatMap((x) => x.managers))].sort();
      for (const l of logins) manager.append(h('option', { value: l }, l));
    } catch {
      /* the worklist below still shows one's own */
    }
    manager.value = q.get('manager') || '';
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.navigate(withQuery('/worklist', { manager: manager.value, date: date.value }));
  });
  const query = { manager: own ? undefined : q.get('manager') || undefined, date: date.value };
  let w;
  try {
    w = await api.get('/api/v1/worklist', query);
  } catch (err) {
    out.append(h('p', { class: 'error', role: 'alert' }, err.message));
    return;
  }
  out.append(h('p', { class: 'worklist-head' },
    t('worklist.of', { name: w.name, login: w.manager, date: fmt.date(w.date) }), ' ',
    h('a', { href: withQuery('/api/v1/worklist', { ...query, format: 'csv' }), download: '', class: 'button-link', id: 'worklist-csv' }, t('worklist.csv'))));
  if (!w.grids.length) out.append(empty('worklist.no_grid'));
  else out.append(h('p', { class: 'hint', id: 'worklist-grids' },
    t('worklist.grids'), ' ', w.grids.map((g) => `${g.code} ${g.name} (${fmt.number(g.customers)})`).join(' · ')));
  for (const s of w.sections) out.append(section(s, ctx));
}

function section(s, ctx) {
  const box = h('section', { class: `card worklist-section${s.available ? '' : ' unavailable'}`, 'data-section': s.section },
    h('h3', {}, t(`worklist.section.${s.section}`), s.available
      ? h('span', { class: 'worklist-total' }, ` ${fmt.number(s.count)} · ${fmt.money(s.amount)}`) : null));
  if (!s.available) { box.append(empty('worklist.unavailable')); return box; }
  if (!s.items.length) { box.append(empty('worklist.nothing')); return box; }
  const head = ['customer', 'name', 'grid', 'amount', 'count', 'date', 'days', 'detail']
    .map((k) => ({ text: t(`worklist.col.${k}`), num: ['amount', 'count', 'days'].includes(k) }));
  const rows = s.items.map((i) => ({
    attrs: { 'data-customer': i.customer },
    cells: [appLink(ctx, `/customers/${encodeURIComponent(i.customer)}`, i.customer), i.name, i.grid,
      { text: fmt.money(i.amount), num: true }, { text: fmt.number(i.count), num: true }, fmt.date(i.date),
      { text: i.days === null ? '' : fmt.number(i.days), num: true },
      i.detail ? t(`worklist.detail.${i.detail}`) : ''],
  }));
  box.append(table(head, rows));
  if (s.count > s.items.length) box.append(h('p', { class: 'hint' }, t('worklist.more', { n: fmt.number(s.count - s.items.length) })));
  return box;
}

async function gridsPage(el, ctx) {
  const out = h('div', { id: 'grids' });
  el.append(out);
  let g;
  try {
    g = await api.get('/api/v1/grids');
  } catch (err) {
    out.append(h('p', { class: 'error', role: 'alert' }, err.message));
    return;
  }
  if (!g.items.length) { out.append(empty('worklist.no_grids')); return; }
  const own = ctx.user.role === 'account_manager';
  const head = ['code', 'name', 'unit', 'managers', 'customers'].map((k) => ({ text: t(`worklist.grid.${k}`), num: k === 'customers' }));
  const rows = g.items.map((x) => ({
    attrs: { 'data-grid': x.code },
    cells: [x.code, x.name, `${x.unit} ${x.unit_name}`,
      h('span', {}, x.managers.length ? x.managers.flatMap((m, i) => [i ? ', ' : '',
        own && m !== ctx.user.login ? m : appLink(ctx, withQuery('/worklist', { manager: own ? undefined : m }), m)]) : '—'),
      { text: fmt.number(x.customers), num: true }],
  }));
  const total = g.items.reduce((a, x) => a + x.customers, 0);
  const managers = new Set(g.items.flatMap((x) => x.managers)).size;
  out.append(h('p', { class: 'hint', id: 'grids-summary' }, t('worklist.grids_summary', { grids: fmt.number(g.items.length), managers: fmt.number(managers), customers: fmt.number(total) })),
    table(head, rows));
}
