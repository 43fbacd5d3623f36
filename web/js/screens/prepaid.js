// The prepaid screen (docs/web.md, docs/prepaid.md): the balances of the prepaid customers of the
// account's scope, lowest first (below zero and low balances marked; "only low" in the address as
// ?low=1), and one customer's account at /prepaid/CODE: balance, state of the daily charge, and a
// month's statement (opening, top-ups, charges, closing; ?month=YYYY-MM) with its ledger rows.
// Texts: i18n/<lang>/prepaid.json; styles: css/screens/prepaid.css.
import { t } from '../i18n.js';
import { get } from '../api.js';
import * as fmt from '../format.js';
import { h, appLink, table, field, today, empty, withQuery } from '../ui.js';

const KINDS = ['topup', 'reversal', 'charge', 'opening', 'settlement'];

function balanceCell(a) {
  const cls = a.balance < 0 ? 'prepaid-negative' : a.low ? 'prepaid-low' : null;
  return { node: h('span', { class: cls }, fmt.money(a.balance)), num: true, field: 'balance', value: a.balance };
}

async function renderList(el, ctx) {
  const low = new URLSearchParams(location.search).get('low') === '1';
  const [all, lows] = await Promise.all([
    get('/api/v1/prepaid', { limit: 100, low: low ? 1 : undefined }),
    get('/api/v1/prepaid', { limit: 100, low: 1 }),
  ]);
  const lowSet = new Set(lows.items.map((r) => r.customer_code));
  const box = h('input', { type: 'checkbox', checked: low });
  const filters = h('form', { class: 'toolbar', id: 'prepaid-filters' },
    h('label', { class: 'check' }, box, ' ', t('prepaid.only_low')),
    h('button', { type: 'submit', class: 'secondary' }, t('prepaid.show')));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(withQuery('/prepaid', { low: box.checked ? 1 : '' }));
  });
  const rows = all.items.map((r) => ({
    attrs: { 'data-customer': r.customer_code, class: r.balance < 0 ? 'prepaid-row-negative' : lowSet.has(r.customer_code) ? 'prepaid-row-low' : null },
    cells: [{ node: appLink(ctx, `/prepaid/${encodeURIComponent(r.customer_code)}`, r.customer_code) },
      { node: h('span', { class: 'prepaid-name' }, r.name) }, r.unit,
      balanceCell({ balance: r.balance, low: lowSet.has(r.customer_code) }),
      t(`prepaid.status.${r.status}`),
      r.below_zero_since ? fmt.date(r.below_zero_since) : '—',
      r.last_charge_day ? fmt.date(r.last_charge_day) : '—'],
  }));
  const card = h('section', { class: 'card', id: 'prepaid-balances' },
    h('h2', { tabindex: '-1' }, t('prepaid.balances.title')),
    h('p', { class: 'hint' }, t('prepaid.balances.hint', { low: lows.items.length })),
    rows.length ? table([{ text: t('prepaid.customer') }, { text: t('prepaid.name') }, { text: t('prepaid.unit') },
      { text: t('prepaid.balance'), num: true }, { text: t('prepaid.status') }, { text: t('prepaid.below_zero_since') }, { text: t('prepaid.last_charge') }],
    rows, null, { id: 'prepaid-table' }) : empty('prepaid.none'));
  el.replaceChildren(h('div', { class: 'prepaid' }, filters, card));
}

async function renderCustomer(el, ctx, code) {
  const param = new URLSearchParams(location.search).get('month') || '';
  const month = /^\d{4}-\d{2}$/.test(param) ? param : today().slice(0, 7);
  const [acc, st] = await Promise.all([
    get(`/api/v1/customers/${encodeURIComponent(code)}/prepaid`, { limit: 10 }),
    get(`/api/v1/customers/${encodeURIComponent(code)}/prepaid/statement`, { month }),
  ]);
  const summary = h('section', { class: 'card', id: 'prepaid-account' },
    h('h2', { tabindex: '-1' }, t('prepaid.account.title', { code: acc.customer_code, name: acc.name })),
    h('dl', { class: 'prepaid-facts' },
      h('dt', {}, t('prepaid.balance')), h('dd', { id: 'prepaid-balance', dataset: { value: acc.balance }, class: acc.balance < 0 ? 'prepaid-negative' : null }, fmt.money(acc.balance)),
      h('dt', {}, t('prepaid.since')), h('dd', {}, fmt.date(acc.since)),
      h('dt', {}, t('prepaid.state')), h('dd', {}, t(acc.active ? 'prepaid.active' : 'prepaid.inactive')),
      h('dt', {}, t('prepaid.last_charge')), h('dd', {}, acc.last_charge_day ? fmt.date(acc.last_charge_day) : '—'),
      h('dt', {}, t('prepaid.kwh_mtd')), h('dd', {}, fmt.kwh(acc.kwh_mtd)),
      h('dt', {}, t('prepaid.below_zero_since')), h('dd', {}, acc.below_zero_since ? fmt.date(acc.below_zero_since) : '—')),
    h('p', {}, appLink(ctx, '/prepaid', t('prepaid.back'))));

  const input = h('input', { type: 'month', value: month });
  const pick = h('form', { class: 'toolbar', id: 'prepaid-month' },
    field('prepaid-month-input', t('prepaid.month'), input),
    h('button', { type: 'submit', class: 'secondary' }, t('prepaid.show')));
  pick.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(withQuery(`/prepaid/${encodeURIComponent(code)}`, { month: input.value }));
  });
  const totals = ['opening', 'topups', 'reversals', 'charges', 'other', 'closing'];
  const statement = h('section', { class: 'card', id: 'prepaid-statement' },
    h('h2', {}, t('prepaid.statement.title', { month: fmt.period(month) })),
    h('dl', { class: 'prepaid-facts', id: 'prepaid-totals' }, totals.flatMap((k) => [
      h('dt', {}, t(`prepaid.total.${k}`)), h('dd', { dataset: { field: k, value: st[k] } }, fmt.money(st[k]))])),
    st.rows.length ? table([{ text: t('prepaid.date') }, { text: t('prepaid.kind') }, { text: t('prepaid.amount'), num: true },
      { text: t('prepaid.balance'), num: true }, { text: t('prepaid.kwh_day'), num: true }, { text: t('prepaid.reference') }],
    st.rows.map((r) => ({
      attrs: { 'data-kind': r.kind, 'data-id': r.id },
      cells: [fmt.date(r.date), { node: h('span', { class: `badge prepaid-kind-${r.kind}` }, t(`prepaid.kind.${KINDS.includes(r.kind) ? r.kind : 'charge'}`)) },
        { text: fmt.money(r.amount), num: true, field: 'amount', value: r.amount }, { text: fmt.money(r.balance), num: true, field: 'balance', value: r.balance },
        r.kind === 'charge' ? { text: fmt.kwh(r.kwh_day), num: true } : '', r.receipt_no || r.note || ''],
    })), null, { id: 'prepaid-ledger' }) : empty('prepaid.statement.none'));
  el.replaceChildren(h('div', { class: 'prepaid' }, summary, pick, statement));
}

export async function render(el, ctx) {
  if (ctx.path.length) return renderCustomer(el, ctx, ctx.path[0]);
  return renderList(el, ctx);
}
