// The risk screen (docs/risk.md, DOMAIN 12): a month's risk classification for the account's
// scope — counts per class, the customers by score with their class, suggested action and the
// reasons behind the score (class filter, CSV and XLSX downloads) — the weekly tracking list of
// high-risk customers with their debt, payments and consumption since the classification, and a
// form to flag a customer by hand. The month and class are in the address (?month=&class=).
// Texts: i18n/<lang>/risk.json; styles: css/screens/risk.css.
import { t } from '../i18n.js';
import { get, post, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { h, appLink, table, field, empty, withQuery, showErrors, clearErrors } from '../ui.js';

const CLASSES = ['high', 'medium', 'low'];

function reasonText(r) {
  const value = r.code === 'overdue_amount' || r.code === 'debt_growth' ? fmt.money(r.value) : fmt.number(r.value);
  return t(`risk.reason.${r.code}`, { value, points: fmt.number(r.points) });
}

function reasons(list) {
  if (!list.length) return h('span', { class: 'hint' }, t('risk.reason.none'));
  return h('ul', { class: 'risk-reasons' }, list.map((r) => h('li', { dataset: { code: r.code } }, reasonText(r))));
}

const badge = (cls) => h('span', { class: `badge risk-${cls}` }, t(`risk.class.${cls}`));

async function loadList(month, cls) {
  try {
    return await get('/api/v1/risk', { month, class: cls });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

async function loadTracking() {
  try {
    return await get('/api/v1/risk/tracking');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export async function render(el, ctx) {
  const q = new URLSearchParams(location.search);
  const month = /^\d{4}-\d{2}$/.test(q.get('month') || '') ? q.get('month') : '';
  const cls = CLASSES.includes(q.get('class')) ? q.get('class') : '';
  const [list, tracking] = await Promise.all([loadList(month, cls), loadTracking()]);
  const shown = list ? list.month : month;

  const monthInput = h('input', { type: 'month', value: shown || '', required: true });
  const classSelect = h('select', {}, h('option', { value: '' }, t('risk.class.all')),
    CLASSES.map((c) => h('option', { value: c, selected: c === cls }, t(`risk.class.${c}`))));
  const filters = h('form', { class: 'toolbar', id: 'risk-filters' },
    field('risk-month', t('risk.month'), monthInput),
    field('risk-class', t('risk.class'), classSelect),
    h('button', { type: 'submit', class: 'secondary', id: 'risk-show' }, t('risk.show')));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(withQuery('/risk', { month: monthInput.value, class: classSelect.value }));
  });

  let listCard;
  if (!list) {
    listCard = h('section', { class: 'card', id: 'risk-list' }, h('h2', { tabindex: '-1' }, t('risk.list.title', { month: shown ? fmt.period(shown) : '—' })),
      empty('risk.no_run'));
  } else {
    const url = (format) => withQuery('/api/v1/risk', { month: list.month, class: cls, format });
    listCard = h('section', { class: 'card', id: 'risk-list' },
      h('h2', { tabindex: '-1' }, t('risk.list.title', { month: fmt.period(list.month) })),
      h('p', { class: 'hint' }, t('risk.run', { id: list.run_id, at: fmt.date(list.run_at.slice(0, 10)) })),
      h('dl', { class: 'risk-counts', id: 'risk-counts' }, CLASSES.flatMap((c) => [h('dt', {}, t(`risk.class.${c}`)), h('dd', { dataset: { class: c } }, fmt.number(list.counts[c]))])),
      list.customers.length ? table(
        [{ text: t('risk.customer') }, { text: t('risk.name') }, { text: t('risk.unit') }, { text: t('risk.score'), num: true }, { text: t('risk.class') },
          { text: t('risk.action') }, { text: t('risk.reasons') }, { text: t('risk.debt'), num: true }],
        list.customers.map((c) => ({
          attrs: { 'data-customer': c.customer_code, 'data-class': c.class },
          cells: [{ node: appLink(ctx, `/customers/${encodeURIComponent(c.customer_code)}`, c.customer_code) }, c.name, c.unit,
            { text: fmt.number(c.score), num: true, field: 'score', value: c.score }, { node: badge(c.class) },
            { node: h('span', { class: 'risk-action', dataset: { action: c.action } }, t(`risk.action.${c.action}`)) }, { node: reasons(c.reasons) },
            { text: fmt.money(c.debt), num: true, field: 'debt', value: c.debt }],
        })), null, { id: 'risk-table' }) : empty('risk.none'),
      h('p', { class: 'risk-downloads' },
        h('a', { href: url('xlsx'), download: '', class: 'button-link', id: 'risk-xlsx' }, t('risk.download.xlsx')),
        h('a', { href: url('csv'), download: '', class: 'button-link', id: 'risk-csv' }, t('risk.download.csv'))));
  }

  const trackCard = h('section', { class: 'card', id: 'risk-tracking' },
    h('h2', {}, tracking ? t('risk.tracking.title', { week: tracking.week, month: fmt.period(tracking.month), date: fmt.date(tracking.as_of) }) : t('risk.tracking.title_none')),
    !tracking ? empty('risk.no_run') : tracking.customers.length ? table(
      [{ text: t('risk.customer') }, { text: t('risk.name') }, { text: t('risk.action') }, { text: t('risk.tracking.debt'), num: true }, { text: t('risk.tracking.debt_now'), num: true },
        { text: t('risk.tracking.payments_since'), num: true }, { text: t('risk.tracking.kwh_since'), num: true }, { text: t('risk.tracking.trend') }],
      tracking.customers.map((c) => ({
        attrs: { 'data-customer': c.customer_code },
        cells: [{ node: appLink(ctx, `/customers/${encodeURIComponent(c.customer_code)}`, c.customer_code) }, c.name, t(`risk.action.${c.action}`),
          { text: fmt.money(c.debt), num: true, field: 'debt', value: c.debt }, { text: fmt.money(c.debt_now), num: true, field: 'debt_now', value: c.debt_now },
          { text: fmt.money(c.payments_since), num: true, field: 'payments_since', value: c.payments_since },
          { text: fmt.kwh(c.kwh_since), num: true, field: 'kwh_since', value: c.kwh_since },
          { node: h('span', { class: `badge risk-trend-${c.trend}`, dataset: { trend: c.trend } }, t(`risk.trend.${c.trend}`)) }],
      })), null, { id: 'risk-tracking-table' }) : empty('risk.tracking.none'));

  const code = h('input', { type: 'text', maxlength: '13', autocomplete: 'off', required: true });
  const reason = h('input', { type: 'text', maxlength: '500', required: true });
  const done = h('p', { class: 'hint', id: 'risk-flag-done', role: 'status' });
  const flagForm = h('form', { class: 'card', id: 'risk-flag-form', novalidate: true },
    h('h2', {}, t('risk.flag.title')),
    h('p', { class: 'hint' }, t('risk.flag.hint')),
    field('risk-flag-customer', t('risk.customer'), code),
    field('risk-flag-reason', t('risk.flag.reason'), reason),
    h('p', { class: 'form-alert error', role: 'alert', hidden: true }),
    h('button', { type: 'submit', class: 'primary', id: 'risk-flag-submit' }, t('risk.flag.submit')), done);
  flagForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(flagForm);
    done.textContent = '';
    try {
      const r = await post('/api/v1/risk/flags', { customer: code.value.trim(), reason: reason.value });
      done.textContent = t('risk.flag.done', { code: r.customer });
      reason.value = '';
    } catch (err) {
      showErrors(flagForm, err, { customer: 'risk-flag-customer', reason: 'risk-flag-reason' });
    }
  });

  el.replaceChildren(h('div', { class: 'risk' }, filters, listCard, trackCard, flagForm));
}
