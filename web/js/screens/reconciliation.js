// The reconciliation screen (docs/web.md, docs/reconciliation.md): pick a partner and a business
// day; the matched and unmatched transactions, the match rate, the totals, the differences by
// kind (GET /api/v1/reconciliation), the Excel download, and clearing what the partner collected
// and we never posted, after a confirmation (POST /api/v1/reconciliation/clear-missing).
import { get, post, newKey, ApiError } from '../api.js';
import { h, table } from '../ui.js';
import { t } from '../i18n.js';
import { date as fmtDate, money, number } from '../format.js';

const KINDS = ['missing_in_ours', 'missing_at_partner', 'amount_differs', 'customer_differs', 'duplicate',
  'remittance_missing', 'remittance_short', 'remittance_over', 'remittance_late'];
const TXN_KINDS = KINDS.slice(0, 5);
const num = (text) => ({ text, num: true });

function yesterday() {
  const d = new Date(Date.now() - 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export async function render(el, ctx) {
  const partners = (await get('/api/v1/partners', { limit: 100 })).items.filter((p) => p.code !== 'legacy');
  // the address keeps the choice: /reconciliation/ECPAY/2025-09-12
  const [p0, d0] = ctx.path;
  const partner = h('select', { id: 'recon-partner' },
    partners.map((p) => h('option', { value: p.code, selected: p.code === p0 }, `${p.code} — ${p.name}`)));
  const day = h('input', { type: 'date', id: 'recon-date', value: d0 || yesterday(), required: true });
  const show = h('button', { type: 'submit', class: 'primary', id: 'recon-show' }, t('reconciliation.show'));
  const out = h('div', { id: 'recon-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'toolbar card recon-form', id: 'recon-form' },
    h('div', { class: 'field' }, h('label', { for: 'recon-partner' }, t('reconciliation.partner')), partner),
    h('div', { class: 'field' }, h('label', { for: 'recon-date' }, t('reconciliation.date')), day),
    show);
  if (!partners.length) {
    el.replaceChildren(h('p', { class: 'hint' }, t('reconciliation.no_partners')));
    return;
  }

  async function draw(note) {
    const q = { partner: partner.value, date: day.value };
    out.replaceChildren(h('p', { class: 'hint' }, t('reconciliation.loading')));
    let r;
    try {
      r = await get('/api/v1/reconciliation', q);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401) throw err;
      out.replaceChildren(h('p', { class: 'notice notice-bad', role: 'alert' }, err.message));
      return;
    }
    out.replaceChildren(...report(r, q, note, draw));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', `/reconciliation/${encodeURIComponent(partner.value)}/${day.value}`);
    draw();
  });
  el.replaceChildren(h('div', { class: 'recon' }, form, out));
  if (p0 && d0) await draw();
}

// The report's parts: the summary, the counts by kind, the differences, the download and clearing.
function report(r, q, note, redraw) {
  const unmatched = r.transactions - r.matched;
  const rate = `${(r.match_rate * 100).toFixed(2).replace('.', t('reconciliation.decimal'))}\u00a0%`;
  const parts = [];
  if (note) parts.push(h('p', { class: 'notice notice-ok', role: 'status', id: 'recon-note' }, note));
  const facts = [
    ['reconciliation.transactions', number(r.transactions), 'recon-transactions'],
    ['reconciliation.matched', number(r.matched), 'recon-matched'],
    ['reconciliation.unmatched', number(unmatched), 'recon-unmatched'],
    ['reconciliation.match_rate', rate, 'recon-rate'],
    ['reconciliation.ours_total', money(r.ours_total)],
    ['reconciliation.partner_total', money(r.partner_total)],
    ['reconciliation.remitted_total', money(r.remitted_total)],
    ['reconciliation.reversed', number(r.reversed_same_day)],
  ];
  const xlsx = `/api/v1/reconciliation?${new URLSearchParams({ ...q, format: 'xlsx' })}`;
  parts.push(h('section', { class: 'card recon-summary' },
    h('h2', {}, t('reconciliation.summary', { partner: `${r.partner} — ${r.partner_name}`, date: fmtDate(r.date) })),
    h('p', { class: 'hint' }, t('reconciliation.window', { days: r.settlement_days })),
    h('dl', { class: 'facts' }, facts.flatMap(([k, v, id]) => [h('dt', {}, t(k)), h('dd', { id }, v)])),
    h('p', { class: 'recon-actions' },
      h('a', { href: xlsx, download: `doi-soat-${r.partner}-${r.date}.xlsx`, id: 'recon-xlsx', class: 'recon-download' },
        t('reconciliation.xlsx')))));

  const counted = KINDS.filter((k) => r.counts[k]);
  parts.push(h('section', { class: 'card' }, h('h2', {}, t('reconciliation.by_kind')),
    counted.length
      ? table([{ text: t('reconciliation.col.kind') }, { text: t('reconciliation.col.count'), num: true }],
        counted.map((k) => [t(`reconciliation.kind.${k}`), { text: number(r.counts[k]), num: true }]))
      : h('p', { class: 'notice notice-ok', id: 'recon-clean' }, t('reconciliation.clean'))));

  if (r.differences.length) {
    const rows = r.differences.map((d) => TXN_KINDS.includes(d.kind)
      ? [t(`reconciliation.kind.${d.kind}`), d.txn_ref, d.kind === 'customer_differs' ? `${d.ours_customer} ≠ ${d.partner_customer}` : d.customer_code,
        num(d.ours === null ? '—' : money(d.ours)), num(d.partner === null ? '—' : money(d.partner)),
        num(money(d.actual - d.expected))]
      : [t(`reconciliation.kind.${d.kind}`), d.kind === 'remittance_late' ? `${d.reference} (${t('reconciliation.days_late', { n: d.days_late })})` : '',
        fmtDate(d.day || d.value_date), num(money(d.expected)), num(money(d.actual)), num(money(d.actual - d.expected))]);
    const diffs = h('section', { class: 'card', id: 'recon-differences' }, h('h2', {}, t('reconciliation.differences')),
      table([{ text: t('reconciliation.col.kind') }, { text: t('reconciliation.col.ref') }, { text: t('reconciliation.col.customer') },
        { text: t('reconciliation.col.ours'), num: true }, { text: t('reconciliation.col.partner'), num: true },
        { text: t('reconciliation.col.diff'), num: true }], rows));
    parts.push(diffs);
  }

  const missing = r.differences.filter((d) => d.kind === 'missing_in_ours');
  if (missing.length) parts.push(clearPanel(q, missing, redraw));
  return parts;
}

// Clearing "missing in ours": a button, then a confirmation naming how many and how much.
function clearPanel(q, missing, redraw) {
  const total = missing.reduce((s, d) => s + (d.partner || 0), 0);
  const ask = h('button', { type: 'button', class: 'secondary', id: 'recon-clear' }, t('reconciliation.clear'));
  const confirmBox = h('div', { class: 'recon-confirm', id: 'recon-confirm', hidden: true, role: 'alertdialog',
    'aria-labelledby': 'recon-confirm-text' });
  const yes = h('button', { type: 'button', class: 'primary', id: 'recon-confirm-yes' }, t('reconciliation.confirm.yes'));
  const no = h('button', { type: 'button', class: 'secondary', id: 'recon-confirm-no' }, t('reconciliation.confirm.no'));
  const msg = h('p', { class: 'error', hidden: true });
  confirmBox.append(h('p', { id: 'recon-confirm-text' }, t('reconciliation.confirm.text', { n: missing.length, amount: money(total) })), yes, no, msg);
  let key = null; // one key per confirmation; kept when the same confirmation is retried
  ask.addEventListener('click', () => {
    key = newKey();
    confirmBox.hidden = false;
    ask.hidden = true;
    yes.focus();
  });
  no.addEventListener('click', () => {
    confirmBox.hidden = true;
    ask.hidden = false;
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    msg.hidden = true;
    try {
      const r = await post('/api/v1/reconciliation/clear-missing', q, { key });
      await redraw(t('reconciliation.cleared', { n: r.cleared.posted, amount: money(r.cleared.amount), skipped: r.cleared.skipped }));
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401) throw err;
      msg.textContent = err.message;
      msg.hidden = false;
      yes.disabled = false;
    }
  });
  return h('section', { class: 'card recon-clear' }, h('h2', {}, t('reconciliation.clear.title')),
    h('p', { class: 'hint' }, t('reconciliation.clear.hint')), ask, confirmBox);
}
