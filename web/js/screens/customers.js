// The customers screen (docs/web.md): search by name, code, phone or address (GET
// /api/v1/customers?q=), and a customer's profile at /customers/CODE: details, invoices with their
// PDF, payments, and kWh per month as a chart. Texts: i18n/<lang>/customers.json; styles:
// css/screens/customers.css.
import * as api from '../api.js';
import { barChart } from '../chart.js';
import { h } from '../ui.js';
import { renderCustomerCases } from './cases.js';
import * as fmt from '../format.js';
import { t } from '../i18n.js';

function failure(err) {
  return h('p', { class: 'error' }, err && err.message ? err.message : String(err));
}

export async function render(el, ctx) {
  if (ctx.path && ctx.path[0]) return profile(el, ctx, ctx.path[0]);
  return search(el, ctx);
}

function search(el, ctx) {
  const input = h('input', { id: 'customer-q', type: 'search', autocomplete: 'off', placeholder: t('customers.search.hint') });
  const label = h('label', { for: 'customer-q' }, t('customers.search.label'));
  const results = h('ul', { id: 'customer-results', class: 'customer-results' });
  const status = h('p', { class: 'hint', id: 'customer-status' });
  const form = h('form', { class: 'card customer-search', role: 'search' }, label, input,
    h('button', { class: 'primary', type: 'submit', id: 'customer-search' }, t('customers.search.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    status.textContent = t('customers.loading');
    results.replaceChildren();
    try {
      const page = await api.get('/api/v1/customers', { q, limit: 20 });
      status.textContent = page.items.length ? '' : t('customers.search.none');
      for (const c of page.items) {
        const a = h('a', { href: `/customers/${encodeURIComponent(c.customer_code)}`, class: 'customer-link' },
          h('span', { class: 'customer-name' }, c.name), ' ', h('span', { class: 'customer-code' }, c.customer_code));
        a.addEventListener('click', (e) => { e.preventDefault(); ctx.navigate(a.getAttribute('href')); });
        results.append(h('li', { 'data-code': c.customer_code }, a, h('div', { class: 'hint' }, `${c.address} · ${c.unit_name}`)));
      }
    } catch (err) {
      status.replaceChildren(failure(err));
    }
  });
  el.replaceChildren(form, status, results);
  input.focus();
}

async function profile(el, ctx, code) {
  let c;
  try {
    c = await api.get(`/api/v1/customers/${encodeURIComponent(code)}`);
  } catch (err) {
    el.replaceChildren(failure(err));
    return;
  }
  const back = h('a', { href: '/customers', class: 'back' }, t('customers.back'));
  back.addEventListener('click', (e) => { e.preventDefault(); ctx.navigate('/customers'); });
  const details = h('section', { class: 'card', id: 'customer-details' },
    h('h2', { id: 'customer-name' }, c.name),
    h('dl', { class: 'facts' },
      h('dt', {}, t('customers.code')), h('dd', { id: 'customer-code' }, c.customer_code),
      h('dt', {}, t('customers.address')), h('dd', { class: 'text' }, c.address),
      h('dt', {}, t('customers.phone')), h('dd', {}, c.phone || '—'),
      h('dt', {}, t('customers.transformer')), h('dd', { id: 'customer-transformer' }, c.transformer || '—'),
      h('dt', {}, t('customers.status')), h('dd', {}, t(`customers.status.${c.status}`)),
      h('dt', {}, t('customers.open')), h('dd', { id: 'customer-open' }, fmt.money(c.account.open_amount))));
  const invoices = h('section', { class: 'card', id: 'customer-invoices' }, h('h3', {}, t('customers.invoices')));
  const payments = h('section', { class: 'card', id: 'customer-payments' }, h('h3', {}, t('customers.payments')));
  const chart = h('section', { class: 'card', id: 'customer-chart' }, h('h3', {}, t('customers.consumption')));
  // the customer's debt case and documents (js/screens/cases.js; nothing for roles outside the
  // debt module)
  const cases = h('section', { id: 'customer-cases', class: 'customer-cases' });
  el.replaceChildren(back, details, invoices, payments, chart, cases);
  await Promise.all([
    loadInvoices(invoices, code),
    loadPayments(payments, code),
    loadChart(chart, code),
    renderCustomerCases(cases, code, ctx),
  ]);
}

async function loadInvoices(box, code) {
  try {
    const page = await api.get(`/api/v1/customers/${encodeURIComponent(code)}/invoices`, { limit: 24 });
    if (!page.items.length) { box.append(h('p', { class: 'hint' }, t('customers.none'))); return; }
    const rows = page.items.map((i) => h('tr', { class: 'invoice', 'data-id': String(i.id), 'data-period': i.period },
      h('td', {}, fmt.period(i.period)),
      h('td', { class: 'num invoice-kwh' }, fmt.kwh(i.kwh)),
      h('td', { class: 'num invoice-total' }, fmt.money(i.total)),
      h('td', { class: 'num invoice-open' }, i.open > 0 ? fmt.money(i.open) : '—'),
      h('td', {}, h('a', { href: i.pdf, target: '_blank', rel: 'noopener', class: 'invoice-pdf' }, 'PDF'))));
    box.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ...['period', 'kwh', 'total', 'open', 'pdf'].map((k) => h('th', {}, t(`customers.col.${k}`))))),
      h('tbody', {}, ...rows))));
  } catch (err) {
    box.append(failure(err));
  }
}

async function loadPayments(box, code) {
  try {
    const page = await api.get(`/api/v1/customers/${encodeURIComponent(code)}/payments`, { limit: 20 });
    if (!page.items.length) { box.append(h('p', { class: 'hint' }, t('customers.none'))); return; }
    const rows = page.items.map((p) => h('tr', { class: 'payment' },
      h('td', {}, fmt.date(p.paid_date)),
      h('td', {}, p.receipt_pdf ? h('a', { href: p.receipt_pdf, target: '_blank', rel: 'noopener' }, p.receipt_no) : p.receipt_no),
      h('td', {}, t(`customers.channel.${p.channel}`)),
      h('td', { class: 'num payment-amount' }, fmt.money(p.amount))));
    box.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ...['date', 'receipt', 'channel', 'amount'].map((k) => h('th', {}, t(`customers.col.${k}`))))),
      h('tbody', {}, ...rows))));
  } catch (err) {
    box.append(failure(err));
  }
}

async function loadChart(box, code) {
  try {
    const c = await api.get(`/api/v1/customers/${encodeURIComponent(code)}/consumption`);
    box.append(h('div', { class: 'chart', id: 'chart' }, barChart(c.months.map((m) => ({ month: m.period, kwh: m.kwh })), t('customers.consumption'))));
  } catch (err) {
    box.append(failure(err));
  }
}
