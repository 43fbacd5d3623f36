// The files screen (docs/web.md, docs/api.md "Files"): choose a kind, upload a CSV for batch
// import (POST /api/v1/files/{kind}, the file as the body), see the import's summary or every bad
// line (line, column, reason); below, the history of uploads within the account's scope.
import { get, post, newKey, ApiError } from '../api.js';
import { h, table, field } from '../ui.js';
import { t } from '../i18n.js';
import { money, number } from '../format.js';

// The kinds each role may import (the server decides; this keeps the list to what works).
const UNIT = ['administrator', 'company', 'unit_officer'];
const MONEY = ['administrator', 'corporation', 'company'];
const KINDS = {
  customers: UNIT,
  reads: UNIT,
  'legacy-debt': ['administrator', 'corporation', 'company', 'unit_officer'],
  collections: MONEY,
  statements: MONEY,
  'bank-statements': MONEY,
};
const PAGE = 10;

export async function render(el, ctx) {
  const kinds = Object.keys(KINDS).filter((k) => KINDS[k].includes(ctx.user.role));
  const partners = (await get('/api/v1/partners', { limit: 100 })).items;

  const kind = h('select', { id: 'files-kind' }, kinds.map((k) => h('option', { value: k }, t(`files.kind.${k}`))));
  const source = h('select', { id: 'files-source' },
    h('option', { value: 'file' }, t('files.source.file')), h('option', { value: 'amr' }, t('files.source.amr')));
  const partner = h('select', { id: 'files-partner' }, h('option', { value: '' }, t('files.partner.any')),
    partners.filter((p) => p.code !== 'legacy').map((p) => h('option', { value: p.code }, `${p.code} — ${p.name}`)));
  const dry = h('input', { type: 'checkbox', id: 'files-dry-run' });
  const file = h('input', { type: 'file', id: 'files-file', accept: '.csv,text/csv' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'files-upload' }, t('files.upload'));
  const sourceField = field('files-source', t('files.source'), source);
  const partnerField = field('files-partner', t('files.partner'), partner);
  const dryField = h('div', { class: 'field files-check' }, dry, h('label', { for: 'files-dry-run' }, t('files.dry_run')));
  const hint = h('p', { class: 'hint', id: 'files-kind-hint' });
  const result = h('div', { id: 'files-result', 'aria-live': 'polite' });
  const history = h('div', { id: 'files-history' });

  // one Idempotency-Key per file chosen: a retry of the same upload reuses it
  let key = null;
  const fresh = () => {
    key = null;
  };
  const showOptions = () => {
    sourceField.hidden = kind.value !== 'reads';
    partnerField.hidden = kind.value !== 'statements';
    dryField.hidden = kind.value !== 'legacy-debt';
    hint.textContent = t(`files.hint.${kind.value}`);
  };
  [kind, source, partner, dry, file].forEach((c) => c.addEventListener('change', fresh));
  kind.addEventListener('change', showOptions);
  showOptions();

  const form = h('form', { class: 'card files-form', id: 'files-form' },
    h('h2', {}, t('files.title')),
    kinds.length ? [field('files-kind', t('files.kind'), kind), hint, sourceField, partnerField, dryField,
      field('files-file', t('files.file'), file), button] : h('p', { class: 'hint' }, t('files.none')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = file.files[0];
    if (!f) {
      result.replaceChildren(h('p', { class: 'notice notice-bad', role: 'alert' }, t('files.choose')));
      return;
    }
    key = key || newKey();
    const q = new URLSearchParams({ name: f.name });
    if (kind.value === 'reads') q.set('source', source.value);
    if (kind.value === 'statements' && partner.value) q.set('partner', partner.value);
    if (kind.value === 'legacy-debt' && dry.checked) q.set('dry_run', '1');
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'hint' }, t('files.sending')));
    try {
      const r = await post(`/api/v1/files/${kind.value}?${q}`, f, { key, contentType: 'text/csv' });
      result.replaceChildren(summary(r));
      await drawHistory(0);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      result.replaceChildren(refusal(err));
    } finally {
      button.disabled = false;
    }
  });

  async function drawHistory(offset) {
    const page = await get('/api/v1/files', { limit: PAGE, offset });
    const rows = page.items.map((u) => [
      u.uploaded_at.replace('T', ' ').replace('Z', ''), t(`files.kind.${u.kind}`), u.name, u.uploaded_by,
      { text: number(u.lines), num: true }, { text: number(u.imported), num: true }, { text: number(u.skipped), num: true },
    ]);
    const prev = h('button', { type: 'button', class: 'secondary', disabled: offset === 0 }, t('files.prev'));
    const next = h('button', { type: 'button', class: 'secondary', disabled: page.next_offset === null }, t('files.next'));
    prev.addEventListener('click', () => drawHistory(Math.max(0, offset - PAGE)));
    next.addEventListener('click', () => drawHistory(page.next_offset));
    history.replaceChildren(h('div', {},
      h('h2', {}, t('files.history')),
      rows.length
        ? [table([{ text: t('files.col.when') }, { text: t('files.col.kind') }, { text: t('files.col.name') }, { text: t('files.col.by') },
            { text: t('files.col.lines'), num: true }, { text: t('files.col.imported'), num: true },
            { text: t('files.col.skipped'), num: true }], rows),
          h('div', { class: 'pager' }, prev, next,
            h('span', { class: 'hint' }, t('files.page', { from: offset + 1, to: offset + rows.length, total: page.total })))]
        : h('p', { class: 'hint' }, t('files.history.empty'))));
  }

  el.replaceChildren(h('div', { class: 'files' }, form, result, h('section', { class: 'card' }, history)));
  await drawHistory(0);
}

// The import's summary: what was imported, or why nothing changed.
function summary(r) {
  const facts = [
    ['files.lines', number(r.lines)], ['files.imported', number(r.imported)], ['files.skipped', number(r.skipped)],
  ];
  if (r.amount) facts.push(['files.amount', money(r.amount)]);
  let note = t('files.done');
  if (r.repeated) note = t('files.repeated');
  else if (r.already) note = t('files.already', { when: (r.already_at || '').replace('T', ' ').replace('Z', '') });
  else if (r.dry_run) note = t('files.dry_done');
  else if (r.imported === 0) note = t('files.nothing_new');
  return h('div', { class: 'card files-summary', id: 'files-summary' },
    h('p', { class: 'notice notice-ok', role: 'status' }, note),
    h('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])));
}

// A refused file: every bad line, or the server's message.
function refusal(err) {
  const lines = (err.error && err.error.errors) || [];
  const parts = [h('p', { class: 'notice notice-bad', role: 'alert' }, err.code === 'invalid_file' ? t('files.refused', { message: err.message }) : err.message)];
  if (lines.length) {
    parts.push(table([{ text: t('files.col.line'), num: true }, { text: t('files.col.column') }, { text: t('files.col.reason') }],
      lines.map((x) => [{ text: x.line ? String(x.line) : '—', num: true }, x.column || '—', x.reason])));
    if (err.error.error_lines > lines.length) parts.push(h('p', { class: 'hint' }, t('files.more', { n: err.error.error_lines - lines.length })));
  }
  return h('div', { class: 'card files-errors', id: 'files-errors' }, parts);
}
