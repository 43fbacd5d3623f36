// The read-anomaly queue (docs/web.md): reads held back from billing (GET /api/v1/reads?flagged=1)
// with the reason each is held, approved or corrected with a reason. Texts:
// i18n/<lang>/anomalies.json; styles: css/screens/anomalies.css.
import * as api from '../api.js';
import { h } from '../ui.js';
import * as fmt from '../format.js';
import { t } from '../i18n.js';

const WRITERS = ['administrator', 'corporation', 'company', 'unit_officer'];

export async function render(el, ctx) {
  const list = h('ul', { id: 'anomalies', class: 'anomalies' });
  el.replaceChildren(h('p', { class: 'hint' }, t('anomalies.intro')), list);
  let page;
  try {
    page = await api.get('/api/v1/reads', { flagged: 1, limit: 50 });
  } catch (err) {
    el.append(h('p', { class: 'error' }, err.message));
    return;
  }
  if (!page.items.length) list.append(h('li', { class: 'hint' }, t('anomalies.empty')));
  const canWrite = WRITERS.includes(ctx.user.role);
  for (const r of page.items) list.append(item(r, canWrite, () => render(el, ctx)));
}

function item(r, canWrite, reload) {
  const index = Object.entries(r.index).map(([k, v]) => `${t(`anomalies.register.${k}`)} ${fmt.number(v)}`).join(', ');
  // the flags in the page's language; a deviation with its figures (the read's note)
  const reasons = r.flags.map((f) => (f === 'deviation' && r.note ? `${t('anomalies.flag.deviation')}: ${r.note}` : t(`anomalies.flag.${f}`)));
  const li = h('li', { class: 'card anomaly', 'data-id': String(r.id) },
    h('div', { class: 'anomaly-head' }, h('strong', {}, r.customer_code), ` · ${fmt.date(r.reading_date)} · ${r.meter}`),
    h('div', {}, `${t('anomalies.index')}: ${index}${r.kwh !== null ? ` · ${fmt.kwh(r.kwh)}` : ''}`),
    h('ul', { class: 'reasons' }, ...reasons.map((s) => h('li', { class: 'reason-text' }, s))));
  if (!canWrite) return li;
  const reason = h('input', { type: 'text', class: 'reason', placeholder: t('anomalies.reason') });
  const total = h('input', { type: 'number', min: '0', class: 'total', placeholder: t('anomalies.total') });
  const msg = h('p', { class: 'error', hidden: true });
  const approve = h('button', { class: 'secondary approve', type: 'button' }, t('anomalies.approve'));
  const correct = h('button', { class: 'primary correct', type: 'button' }, t('anomalies.correct'));
  const act = async (path, body) => {
    msg.hidden = true;
    if (!reason.value.trim()) { msg.textContent = t('anomalies.need_reason'); msg.hidden = false; return; }
    try {
      await api.post(path, { ...body, reason: reason.value.trim() }, { key: api.newKey() });
      reload();
    } catch (err) {
      msg.textContent = err.message;
      msg.hidden = false;
    }
  };
  approve.addEventListener('click', () => act(`/api/v1/reads/${r.id}/approve`, {}));
  correct.addEventListener('click', () => {
    if (total.value === '') { msg.textContent = t('anomalies.need_total'); msg.hidden = false; return; }
    act(`/api/v1/reads/${r.id}/correct`, { total: Number(total.value) });
  });
  li.append(h('div', { class: 'anomaly-actions' }, reason, total, approve, correct), msg);
  return li;
}
