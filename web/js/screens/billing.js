// Billing runs (docs/web.md): the runs of the scope with their status and amounts (GET
// /api/v1/billing-runs) and starting one (POST, synchronous: the answer is the finished run).
// Texts: i18n/<lang>/billing.json; styles: css/screens/billing.css.
import * as api from '../api.js';
import { h } from '../ui.js';
import * as fmt from '../format.js';
import { t } from '../i18n.js';

const WRITERS = ['administrator', 'corporation', 'company', 'unit_officer'];

export async function render(el, ctx) {
  const runs = h('div', { id: 'billing-runs' });
  el.replaceChildren();
  if (WRITERS.includes(ctx.user.role)) el.append(startForm(() => render(el, ctx)));
  el.append(h('h3', {}, t('billing.runs')), runs);
  try {
    const page = await api.get('/api/v1/billing-runs', { limit: 50 });
    if (!page.items.length) { runs.append(h('p', { class: 'hint' }, t('billing.none'))); return; }
    runs.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ...['period', 'scope', 'status', 'invoices', 'kwh', 'total'].map((k) => h('th', {}, t(`billing.col.${k}`))))),
      h('tbody', {}, ...page.items.map((r) => h('tr', { class: `run run-${r.status}`, 'data-id': String(r.id) },
        h('td', {}, fmt.period(r.period)), h('td', {}, r.scope || '—'), h('td', { class: 'run-status' }, t(`billing.status.${r.status}`)),
        h('td', { class: 'num' }, fmt.number(r.invoices)), h('td', { class: 'num' }, fmt.kwh(r.kwh)),
        h('td', { class: 'num run-total' }, fmt.money(r.total))))))));
  } catch (err) {
    runs.append(h('p', { class: 'error' }, err.message));
  }
}

function startForm(reload) {
  const period = h('input', { id: 'billing-period', type: 'month', required: true });
  const issue = h('input', { id: 'billing-issue', type: 'date' });
  const msg = h('p', { class: 'error', hidden: true });
  const button = h('button', { class: 'primary', type: 'submit' }, t('billing.start'));
  const form = h('form', { class: 'card billing-start' },
    h('label', { for: 'billing-period' }, t('billing.period')), period,
    h('label', { for: 'billing-issue' }, t('billing.issue_date')), issue, button, msg);
  // one key per run the person means: kept while the same form is resent after a failure
  let key = api.newKey();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.hidden = true;
    button.disabled = true;
    try {
      await api.post('/api/v1/billing-runs', { period: period.value, issue_date: issue.value || undefined }, { key });
      key = api.newKey();
      reload();
    } catch (err) {
      msg.textContent = err.message;
      msg.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
