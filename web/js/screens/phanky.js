// The phân kỳ screen (docs/web.md, DOMAIN 4): for a quarter, per unit of the account's scope the
// non-residential customers checked and how many are ok, need more or fewer reading periods a
// month, or were not billed; the exception list (customer, average kWh, periods required and
// configured) with CSV and XLSX downloads; and the AMR figures of the quarter's last month
// (coverage and success rate against 99% and 98%). The quarter is in the address (?quarter=).
// Texts: i18n/<lang>/phanky.json; styles: css/screens/phanky.css.
import { t } from '../i18n.js';
import { get } from '../api.js';
import * as fmt from '../format.js';
import { h, appLink, table, field, today, empty, withQuery } from '../ui.js';

const COUNTS = ['checked', 'ok', 'needs_more', 'needs_fewer', 'not_billed'];

function quarterOf(day) {
  const [y, m] = day.split('-').map(Number);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

// the quarters to choose from: this one and the eleven before it
function quarters(current) {
  let [y, q] = quarterOf(today()).split('Q').map(Number);
  const out = [];
  for (let i = 0; i < 12; i++) {
    out.push(`${y}Q${q}`);
    if (--q === 0) {
      q = 4;
      y--;
    }
  }
  if (!out.includes(current)) out.unshift(current);
  return out;
}

function quarterLabel(qq) {
  const [y, q] = qq.split('Q');
  return t('phanky.quarter.label', { q, year: y });
}

export async function render(el, ctx) {
  const param = new URLSearchParams(location.search).get('quarter') || '';
  const quarter = /^\d{4}Q[1-4]$/.test(param) ? param : quarterOf(today());
  const lastMonth = `${quarter.slice(0, 4)}-${String(Number(quarter[5]) * 3).padStart(2, '0')}`;
  const [report, amr] = await Promise.all([
    get('/api/v1/reports/phanky', { quarter, exceptions: 1 }),
    get('/api/v1/reports/amr', { month: lastMonth }),
  ]);

  const select = h('select', {}, quarters(quarter).map((q) => h('option', { value: q, selected: q === quarter }, quarterLabel(q))));
  const filters = h('form', { class: 'toolbar', id: 'phanky-filters' },
    field('phanky-quarter', t('phanky.quarter'), select),
    h('button', { type: 'submit', class: 'secondary' }, t('phanky.show')));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(withQuery('/phanky', { quarter: select.value }));
  });

  const units = h('section', { class: 'card', id: 'phanky-units' },
    h('h2', { tabindex: '-1' }, t('phanky.units.title', { quarter: quarterLabel(quarter), date: fmt.date(report.as_of) })),
    h('p', { class: 'hint' }, t('phanky.rules', { two: fmt.kwh(report.rules.two_periods_kwh), three: fmt.kwh(report.rules.three_periods_kwh) })),
    table([{ text: t('phanky.unit') }, ...COUNTS.map((c) => ({ text: t(`phanky.count.${c}`), num: true }))],
      report.units.map((u) => ({
        attrs: { 'data-unit': u.unit },
        cells: [`${u.unit} · ${u.name}`, ...COUNTS.map((c) => ({ text: fmt.number(u[c]), num: true, field: c, value: u[c] }))],
      })),
      { attrs: { class: 'phanky-total' }, cells: [t('phanky.total'), ...COUNTS.map((c) => ({ text: fmt.number(report.totals[c]), num: true, field: c, value: report.totals[c] }))] },
      { id: 'phanky-unit-table' }));

  const url = (format) => withQuery('/api/v1/reports/phanky', { quarter, exceptions: 1, format });
  const exceptions = h('section', { class: 'card', id: 'phanky-exceptions' },
    h('h2', {}, t('phanky.exceptions.title')),
    report.rows.length ? table(
      [{ text: t('phanky.customer') }, { text: t('phanky.name') }, { text: t('phanky.unit') }, { text: t('phanky.avg_kwh'), num: true }, { text: t('phanky.months'), num: true },
        { text: t('phanky.required'), num: true }, { text: t('phanky.configured'), num: true }, { text: t('phanky.status') }],
      report.rows.map((r) => ({
        attrs: { 'data-customer': r.customer_code, 'data-status': r.status },
        cells: [{ node: appLink(ctx, `/customers/${encodeURIComponent(r.customer_code)}`, r.customer_code) }, { node: h('span', { class: 'phanky-name' }, r.customer_name) }, r.unit,
          { text: fmt.kwh(r.avg_kwh), num: true, field: 'avg_kwh', value: r.avg_kwh }, { text: fmt.number(r.months), num: true },
          { text: fmt.number(r.required), num: true, field: 'required', value: r.required }, { text: fmt.number(r.configured), num: true, field: 'configured', value: r.configured },
          { node: h('span', { class: `badge phanky-${r.status}` }, t(`phanky.status.${r.status}`)) }],
      })), null, { id: 'phanky-exception-table' }) : empty('phanky.exceptions.none'),
    h('p', { class: 'phanky-downloads' },
      h('a', { href: url('xlsx'), download: '', class: 'button-link', id: 'phanky-xlsx' }, t('phanky.download.xlsx')),
      h('a', { href: url('csv'), download: '', class: 'button-link', id: 'phanky-csv' }, t('phanky.download.csv'))));

  const pct = (v, target, name) => (v === null
    ? { text: '—', num: true, field: name, value: '' }
    : { node: h('span', { class: v >= target ? 'phanky-met' : 'phanky-missed' }, `${fmt.decimal(v)}\u00a0%`, ' ', h('span', { class: 'phanky-mark' }, t(v >= target ? 'phanky.amr.met' : 'phanky.amr.missed'))), num: true, field: name, value: v });
  const cov = amr.targets.coverage_pct;
  const suc = amr.targets.success_pct;
  const amrRow = (u) => [{ text: fmt.number(u.meters), num: true }, { text: fmt.number(u.amr_meters), num: true }, pct(u.coverage_pct, cov, 'coverage_pct'),
    { text: fmt.number(u.scheduled), num: true }, { text: fmt.number(u.received), num: true }, pct(u.success_pct, suc, 'success_pct')];
  const amrCard = h('section', { class: 'card', id: 'phanky-amr' },
    h('h2', {}, t('phanky.amr.title', { month: fmt.period(amr.month) })),
    h('p', { class: 'hint' }, t('phanky.amr.targets', { coverage: fmt.decimal(cov), success: fmt.decimal(suc) })),
    table([{ text: t('phanky.unit') }, { text: t('phanky.amr.meters'), num: true }, { text: t('phanky.amr.amr_meters'), num: true }, { text: t('phanky.amr.coverage'), num: true },
      { text: t('phanky.amr.scheduled'), num: true }, { text: t('phanky.amr.received'), num: true }, { text: t('phanky.amr.success'), num: true }],
      amr.units.map((u) => ({ attrs: { 'data-unit': u.unit }, cells: [`${u.unit} · ${u.name}`, ...amrRow(u)] })),
      { attrs: { class: 'phanky-total' }, cells: [t('phanky.total'), ...amrRow(amr.totals)] },
      { id: 'phanky-amr-table' }));

  el.replaceChildren(h('div', { class: 'phanky' }, filters, units, exceptions, amrCard));
}
