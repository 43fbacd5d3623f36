// The debt screen (docs/web.md, docs/api.md "Debt"): the aging report of the account's scope by
// unit with the bucket chart and the trend, a unit's customers (/debt/PA0101), a customer's open
// invoices (/debt/PA0101/PA01010000101), adjustments and report locks. The as-of date and the
// class are in the address (?as_of=&class=) so back and forward redraw the same view.
// Texts: i18n/<lang>/debt.json; styles: css/screens/debt.css.
import { t } from '../i18n.js';
import { get, post, newKey, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { amountBars, stackedBars } from '../chart.js';
import { h, appLink, table, showErrors, clearErrors, field, today, empty, withQuery } from '../ui.js';

const BUCKETS = ['not_due', 'lt_3m', 'm3_6', 'm6_12', 'y1_2', 'y2_3', 'ge_3y'];
// the buckets of bad debt charted (overdue 3 months and more, DOMAIN 9)
const CHARTED = ['m3_6', 'm6_12', 'y1_2', 'y2_3', 'ge_3y'];
const CLASSES = ['all', 'residential', 'nonresidential'];
const WRITERS = ['administrator', 'corporation', 'company', 'unit_officer'];
const KINDS = ['correction', 'write_off'];

function state(ctx) {
  const q = new URLSearchParams(location.search);
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(q.get('as_of') || '') ? q.get('as_of') : today();
  const cls = CLASSES.includes(q.get('class')) ? q.get('class') : 'all';
  return { asOf, cls, scope: ctx.path[0] || null, customer: ctx.path[1] || null, writer: WRITERS.includes(ctx.user.role) };
}

const here = (s, path) => withQuery(path, { as_of: s.asOf, class: s.cls === 'all' ? '' : s.cls });

export async function render(el, ctx) {
  const s = state(ctx);
  const view = h('div', { class: 'debt' });
  view.append(filters(ctx, s));
  if (s.customer) await customerView(view, ctx, s);
  else if (s.scope) await customersView(view, ctx, s);
  else await summaryView(view, ctx, s);
  el.replaceChildren(view);
}

// ---- the filters: as-of date and class ----
function filters(ctx, s) {
  const date = h('input', { type: 'date', value: s.asOf, required: true });
  const cls = h('select', {}, CLASSES.map((c) => h('option', { value: c, selected: c === s.cls }, t(`debt.class.${c}`))));
  const form = h('form', { class: 'toolbar debt-filters', id: 'debt-filters' },
    field('debt-as-of', t('debt.as_of'), date),
    field('debt-class', t('debt.class'), cls),
    h('button', { type: 'submit', class: 'secondary' }, t('debt.show')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const path = location.pathname;
    ctx.navigate(withQuery(path, { as_of: date.value || s.asOf, class: cls.value === 'all' ? '' : cls.value }));
  });
  return form;
}

function money(v) {
  return { text: fmt.money(v), num: true };
}

function figureCells(row) {
  return [...BUCKETS.map((b) => ({ text: fmt.number(row[b]), num: true, field: b, value: row[b] })),
    { text: fmt.number(row.total), num: true, field: 'total', value: row.total }];
}

function bucketHead() {
  return [...BUCKETS.map((b) => ({ text: t(`debt.bucket.${b}`), num: true })), { text: t('debt.total'), num: true }];
}

function downloads(s, query) {
  const url = (format) => withQuery('/api/v1/reports/aging', { ...query, as_of: s.asOf, format });
  return h('p', { class: 'debt-downloads' },
    h('a', { href: url('xlsx'), download: '', class: 'button-link', id: 'debt-xlsx' }, t('debt.download.xlsx')),
    h('a', { href: url('csv'), download: '', class: 'button-link', id: 'debt-csv' }, t('debt.download.csv')));
}

function lockNotice(report) {
  if (!report.lock) return null;
  return h('p', { class: 'notice notice-ok' }, t('debt.snapshot', { lock: String(report.lock.id ?? report.lock) }));
}

// ---- /debt: the scope by unit ----
async function summaryView(view, ctx, s) {
  const [report, trend] = await Promise.all([
    get('/api/v1/reports/aging', { as_of: s.asOf, by: 'unit' }),
    get('/api/v1/reports/aging-trend', { from: monthsBack(s.asOf, 11), to: s.asOf.slice(0, 7) }),
  ]);
  const pick = (rows) => rows.filter((r) => r.class === s.cls);
  const totals = pick(report.totals)[0];
  const byClass = Object.fromEntries(report.totals.map((r) => [r.class, r]));
  const card = h('section', { class: 'card', id: 'debt-summary', 'aria-labelledby': 'debt-summary-title' },
    h('h2', { id: 'debt-summary-title', tabindex: '-1' }, t('debt.summary.title', { scope: report.scope_name || report.scope, date: fmt.date(s.asOf) })),
    lockNotice(report),
    h('dl', { class: 'facts debt-facts' },
      ...['residential', 'nonresidential', 'all'].flatMap((c) => [
        h('dt', {}, t(`debt.total.${c}`)),
        h('dd', { dataset: { class: c, value: byClass[c].total } }, fmt.money(byClass[c].total))]),
      h('dt', {}, t('debt.provision')),
      h('dd', { dataset: { value: byClass.all.provision }, id: 'debt-provision' }, fmt.money(byClass.all.provision)),
      h('dt', {}, t('debt.customers')),
      h('dd', {}, fmt.number(byClass.all.customers))),
    h('h3', {}, t('debt.by_unit')),
    table([{ text: t('debt.unit') }, { text: t('debt.customers'), num: true }, ...bucketHead(), { text: t('debt.provision'), num: true }],
      [...pick(report.rows).map((r) => ({
        attrs: { 'data-scope': r.scope, class: 'debt-unit' },
        cells: [{ node: appLink(ctx, here(s, `/debt/${encodeURIComponent(r.scope)}`), `${r.scope} · ${r.scope_name}`) },
          { text: fmt.number(r.customers), num: true }, ...figureCells(r), { text: fmt.number(r.provision), num: true }],
      })),
      ...pick(report.subtotals).filter((r) => r.scope !== report.scope).map((r) => ({
        attrs: { 'data-scope': r.scope, class: 'debt-subtotal' },
        cells: [{ node: appLink(ctx, here(s, `/debt/${encodeURIComponent(r.scope)}`), t('debt.subtotal', { scope: `${r.scope} · ${r.scope_name}` })) },
          { text: fmt.number(r.customers), num: true }, ...figureCells(r), { text: fmt.number(r.provision), num: true }],
      }))],
      { attrs: { 'data-scope': totals.scope, class: 'debt-total' }, cells: [t('debt.total'), { text: fmt.number(totals.customers), num: true }, ...figureCells(totals), { text: fmt.number(totals.provision), num: true }] },
      { id: 'debt-units' }),
    downloads(s, { by: 'unit' }));
  view.append(card);
  view.append(bucketChart(totals));
  view.append(trendChart(trend, s));
  view.append(await adjustments(ctx, s, null));
  view.append(await locks(ctx, s, report));
}

function monthsBack(asOf, n) {
  const [y, m] = asOf.split('-').map(Number);
  const k = y * 12 + (m - 1) - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

function bucketChart(row) {
  const bars = CHARTED.map((b) => ({ key: b, label: t(`debt.bucket.${b}`), value: row[b] }));
  const summary = bars.map((b) => `${b.label}: ${fmt.money(b.value)}`).join('; ');
  return h('section', { class: 'card', id: 'debt-buckets' },
    h('h2', {}, t('debt.chart.title')),
    amountBars(bars, t('debt.chart.label', { summary })));
}

function trendChart(trend, s) {
  const rows = trend.rows.filter((r) => r.class === s.cls);
  const series = CHARTED.map((b) => ({ key: b }));
  const columns = rows.map((r) => ({ key: r.month, label: fmt.shortMonth(r.month), parts: CHARTED.map((b) => r[b]) }));
  const summary = rows.map((r) => `${fmt.period(r.month)}: ${fmt.money(CHARTED.reduce((a, b) => a + r[b], 0))}`).join('; ');
  return h('section', { class: 'card', id: 'debt-trend' },
    h('h2', {}, t('debt.trend.title')),
    rows.length ? stackedBars(columns, series, t('debt.trend.label', { summary })) : empty('debt.trend.none'),
    h('ul', { class: 'debt-legend' }, CHARTED.map((b, i) => h('li', {}, h('span', { class: `debt-swatch chart-s${i}`, 'aria-hidden': 'true' }), t(`debt.bucket.${b}`)))));
}

// ---- /debt/SCOPE: its customers ----
async function customersView(view, ctx, s) {
  const report = await get('/api/v1/reports/aging', { as_of: s.asOf, by: 'customer', scope: s.scope });
  const rows = report.rows.filter((r) => s.cls === 'all' || r.class === s.cls);
  const totals = report.totals.filter((r) => r.class === s.cls)[0];
  view.append(h('nav', { class: 'debt-crumbs', 'aria-label': t('debt.crumbs') },
    appLink(ctx, here(s, '/debt'), t('debt.back.summary'))));
  view.append(h('section', { class: 'card', id: 'debt-customers' },
    h('h2', { tabindex: '-1' }, t('debt.customers.title', { scope: `${report.scope} · ${report.scope_name}`, date: fmt.date(s.asOf) })),
    lockNotice(report),
    rows.length ? table([{ text: t('debt.customer') }, { text: t('debt.name') }, { text: t('debt.class') }, ...bucketHead(), { text: t('debt.case') }],
      rows.map((r) => ({
        attrs: { 'data-customer': r.customer_code },
        cells: [{ node: appLink(ctx, here(s, `/debt/${encodeURIComponent(s.scope)}/${encodeURIComponent(r.customer_code)}`), r.customer_code) },
          { node: h('span', { class: 'debt-name' }, r.name) }, t(`debt.class.${r.class}`), ...figureCells(r),
          r.case_status ? t('debt.case.status', { status: r.case_status, documents: r.documents }) : ''],
      })),
      { attrs: { class: 'debt-total' }, cells: [t('debt.total'), '', '', ...figureCells(totals), ''] },
      { id: 'debt-customer-table' }) : empty('debt.customers.none'),
    downloads(s, { by: 'customer', scope: s.scope })));
}

// ---- /debt/SCOPE/CODE: one customer's open invoices ----
async function customerView(view, ctx, s) {
  const inv = await get('/api/v1/reports/aging', { as_of: s.asOf, by: 'invoice', customer: s.customer });
  view.append(h('nav', { class: 'debt-crumbs', 'aria-label': t('debt.crumbs') },
    appLink(ctx, here(s, '/debt'), t('debt.back.summary')), ' › ',
    appLink(ctx, here(s, `/debt/${encodeURIComponent(s.scope)}`), t('debt.back.customers', { scope: s.scope }))));
  view.append(h('section', { class: 'card', id: 'debt-invoices' },
    h('h2', { tabindex: '-1' }, t('debt.invoices.title', { code: inv.customer_code, date: fmt.date(s.asOf) })),
    h('p', { class: 'customer-name' }, inv.name),
    h('p', { class: 'hint' }, inv.address),
    inv.rows.length ? table([{ text: t('debt.invoice') }, { text: t('debt.period') }, { text: t('debt.due_date') }, { text: t('debt.invoice_total'), num: true }, { text: t('debt.open'), num: true }, { text: t('debt.bucket') }],
      inv.rows.map((r) => ({
        attrs: { 'data-invoice': r.invoice || '' },
        cells: [r.invoice || '', fmt.period(r.period), fmt.date(r.due_date), { text: fmt.number(r.total), num: true },
          { text: fmt.number(r.open), num: true, field: 'open', value: r.open }, { text: t(`debt.bucket.${r.bucket}`), field: 'bucket', value: r.bucket }],
      })),
      { attrs: { class: 'debt-total' }, cells: [t('debt.total'), '', '', '', { text: fmt.number(inv.totals.total), num: true, field: 'total', value: inv.totals.total }, ''] },
      { id: 'debt-invoice-table' }) : empty('debt.invoices.none'),
    h('p', {}, appLink(ctx, `/cases/${encodeURIComponent(inv.customer_code)}`, t('debt.case.link')))));
  view.append(await adjustments(ctx, s, inv.customer_code));
}

// ---- adjustments: the list and the form ----
async function adjustments(ctx, s, customer) {
  const section = h('section', { class: 'card', id: 'debt-adjustments' }, h('h2', {}, t('debt.adj.title')));
  const list = h('div', { class: 'debt-adj-list' });
  section.append(list);
  let offset = 0;
  const load = async () => {
    const page = await get('/api/v1/adjustments', customer ? { customer, limit: 20, offset } : { limit: 20, offset });
    const pager = h('div', { class: 'pager' },
      offset > 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => { offset = Math.max(0, offset - 20); load(); } }, t('debt.prev')) : null,
      page.next_offset !== null ? h('button', { type: 'button', class: 'secondary', onclick: () => { offset = page.next_offset; load(); } }, t('debt.next')) : null);
    list.replaceChildren(page.items.length ? table(
      [{ text: t('debt.adj.date') }, { text: t('debt.customer') }, { text: t('debt.invoice') }, { text: t('debt.adj.kind') }, { text: t('debt.adj.amount'), num: true }, { text: t('debt.adj.reason') }, { text: t('debt.adj.by') }],
      page.items.map((a) => ({
        attrs: { 'data-adjustment': a.id },
        cells: [fmt.date(a.date), a.customer_code, a.invoice || '', t(`debt.kind.${a.kind}`), { text: fmt.number(a.amount), num: true, field: 'amount', value: a.amount },
          { node: h('span', { class: 'debt-reason' }, a.reason) }, a.created_by],
      })), null, { id: 'debt-adj-table' }) : empty('debt.adj.none'), pager);
  };
  await load();
  if (s.writer) section.append(adjustForm(ctx, customer, load));
  return section;
}

function adjustForm(ctx, customer, reload) {
  const code = h('input', { autocomplete: 'off', required: true, value: customer || '', readonly: customer ? true : null, class: 'debt-code' });
  const invoice = h('select', { required: true }, h('option', { value: '' }, t('debt.adj.invoice.pick')));
  const kind = h('select', {}, KINDS.map((k) => h('option', { value: k }, t(`debt.kind.${k}`))));
  const amount = h('input', { type: 'number', step: '1', inputmode: 'numeric', required: true });
  const approval = h('input', { autocomplete: 'off' });
  const reason = h('textarea', { rows: '2', required: true });
  const date = h('input', { type: 'date' });
  const approvalField = field('adj-approval', t('debt.adj.approval'), approval);
  approvalField.hidden = true;
  const done = h('div', { class: 'debt-adj-done', role: 'status' });
  const form = h('form', { class: 'debt-adj-form', id: 'debt-adj-form', novalidate: true },
    h('h3', {}, t('debt.adj.new')),
    field('adj-customer', t('debt.customer'), code),
    field('adj-invoice', t('debt.invoice'), invoice),
    field('adj-kind', t('debt.adj.kind'), kind),
    field('adj-amount', t('debt.adj.amount_dong'), amount, t('debt.adj.amount.hint')),
    approvalField,
    field('adj-reason', t('debt.adj.reason'), reason),
    field('adj-date', t('debt.adj.date'), date, t('debt.adj.date.hint')),
    h('p', { class: 'form-alert error', role: 'alert', hidden: true }),
    h('button', { type: 'submit', class: 'primary' }, t('debt.adj.submit')),
    done);
  // the open invoices of the customer now (an adjustment lowers at most what is open)
  let loaded = '';
  const loadInvoices = async () => {
    const c = code.value.trim().toUpperCase();
    if (!c || c === loaded) return;
    loaded = c;
    invoice.replaceChildren(h('option', { value: '' }, t('debt.adj.invoice.pick')));
    try {
      const open = await get(`/api/v1/customers/${encodeURIComponent(c)}/open`);
      for (const b of open.invoices) {
        const name = `${b.invoice_symbol}/${b.invoice_number}`;
        invoice.append(h('option', { value: name }, t('debt.adj.invoice.option', { invoice: name, period: fmt.period(b.period), open: fmt.money(b.open) })));
      }
      if (open.invoices.length === 1) invoice.value = invoice.options[1].value;
      clearErrors(form);
    } catch (err) {
      loaded = '';
      showErrors(form, new ApiError(err.status, { message: err.message, field: 'customer_code' }), FIELDS);
    }
  };
  code.addEventListener('change', loadInvoices);
  kind.addEventListener('change', () => { approvalField.hidden = kind.value !== 'write_off'; });
  let key = null; // one Idempotency-Key per posting, kept while the same content is retried
  form.addEventListener('input', () => { key = null; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    done.replaceChildren();
    const body = { customer_code: code.value.trim().toUpperCase(), invoice: invoice.value, kind: kind.value, reason: reason.value.trim() };
    if (!body.customer_code) return showErrors(form, { field: 'customer_code', message: t('debt.adj.error.customer') }, FIELDS);
    if (!body.invoice) return showErrors(form, { field: 'invoice', message: t('debt.adj.error.invoice') }, FIELDS);
    if (!/^-?\d+$/.test(amount.value.trim())) return showErrors(form, { field: 'amount', message: t('debt.adj.error.amount') }, FIELDS);
    body.amount = Number(amount.value.trim());
    if (date.value) body.date = date.value;
    if (kind.value === 'write_off') body.approval = approval.value.trim();
    key = key || newKey();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const res = await post('/api/v1/adjustments', body, { key });
      key = null;
      const row = res.rows[0];
      done.replaceChildren(h('p', { class: 'notice notice-ok' },
        t('debt.adj.done', { amount: fmt.money(row.amount), invoice: row.invoice || '', open: fmt.money(row.customer_open) }), ' ',
        appLink(ctx, `/cases/${encodeURIComponent(body.customer_code)}`, t('debt.adj.documents'))));
      amount.value = '';
      reason.value = '';
      loaded = '';
      await reload();
      await loadInvoices();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401) throw err;
      showErrors(form, err, FIELDS);
    } finally {
      button.disabled = false;
    }
  });
  if (customer) loadInvoices();
  return form;
}

const FIELDS = { customer_code: 'adj-customer', invoice: 'adj-invoice', kind: 'adj-kind', amount: 'adj-amount', approval: 'adj-approval', reason: 'adj-reason', date: 'adj-date' };

// ---- locks: the scope's months, lock one, unlock from the level above ----
async function locks(ctx, s, report) {
  const section = h('section', { class: 'card', id: 'debt-locks' }, h('h2', {}, t('debt.lock.title')));
  const list = h('div', { class: 'debt-lock-list' });
  section.append(list);
  const load = async () => {
    const page = await get('/api/v1/locks', { all: 1, limit: 100 });
    list.replaceChildren(page.items.length ? table(
      [{ text: t('debt.lock.scope') }, { text: t('debt.period') }, { text: t('debt.lock.status') }, { text: t('debt.lock.by') }, { text: '' }],
      page.items.map((l) => ({
        attrs: { 'data-lock': l.id, 'data-period': l.period, 'data-status': l.status },
        cells: [l.scope, fmt.period(l.period),
          l.status === 'locked' ? t('debt.lock.locked') : t('debt.lock.unlocked', { reason: l.unlocked.reason }),
          l.status === 'locked' ? `${l.locked_by} (${l.locked_as})` : `${l.unlocked.by} (${l.unlocked.as})`,
          { node: s.writer && l.status === 'locked' && l.scope !== ctx.user.scope ? unlockButton(l, load) : '' }],
      })), null, { id: 'debt-lock-table' }) : empty('debt.lock.none'));
  };
  await load();
  if (s.writer) section.append(lockForm(ctx, report, load));
  return section;
}

function lockForm(ctx, report, reload) {
  const scopes = [ctx.user.scope, ...report.subtotals.filter((r) => r.class === 'all').map((r) => r.scope), ...report.rows.filter((r) => r.class === 'all').map((r) => r.scope)];
  const scope = h('select', {}, [...new Set(scopes)].map((c) => h('option', { value: c }, c)));
  const month = h('input', { type: 'month', required: true, placeholder: 'YYYY-MM' });
  const done = h('div', { role: 'status' });
  const form = h('form', { class: 'debt-lock-form', id: 'debt-lock-form', novalidate: true },
    h('h3', {}, t('debt.lock.new')),
    field('lock-scope', t('debt.lock.scope'), scope),
    field('lock-period', t('debt.period'), month, t('debt.lock.period.hint')),
    h('p', { class: 'form-alert error', role: 'alert', hidden: true }),
    h('button', { type: 'submit', class: 'primary' }, t('debt.lock.submit')),
    done);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    done.replaceChildren();
    if (!/^\d{4}-\d{2}$/.test(month.value)) return showErrors(form, { field: 'period', message: t('debt.lock.error.period') }, LOCK_FIELDS);
    try {
      await post('/api/v1/locks', { scope: scope.value, period: month.value });
      done.replaceChildren(h('p', { class: 'notice notice-ok' }, t('debt.lock.done', { scope: scope.value, period: fmt.period(month.value) })));
      await reload();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401) throw err;
      showErrors(form, err, LOCK_FIELDS);
    }
  });
  return form;
}

const LOCK_FIELDS = { scope: 'lock-scope', period: 'lock-period' };

function unlockButton(lock, reload) {
  const wrap = h('div', { class: 'debt-unlock' });
  const open = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, t('debt.unlock'));
  wrap.append(open);
  open.addEventListener('click', () => {
    const id = `unlock-${lock.id}`;
    const reason = h('textarea', { rows: '2', required: true });
    const form = h('form', { class: 'debt-unlock-form', novalidate: true },
      field(`${id}-reason`, t('debt.unlock.reason'), reason),
      h('p', { class: 'form-alert error', role: 'alert', hidden: true }),
      h('button', { type: 'submit', class: 'primary' }, t('debt.unlock.submit')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!reason.value.trim()) return showErrors(form, { field: 'reason', message: t('debt.unlock.error.reason') }, { reason: `${id}-reason` });
      try {
        await post('/api/v1/locks/unlock', { scope: lock.scope, period: lock.period, reason: reason.value.trim() });
        await reload();
      } catch (err) {
        if (!(err instanceof ApiError) || err.status === 401) throw err;
        showErrors(form, err, { reason: `${id}-reason` });
      }
    });
    open.setAttribute('aria-expanded', 'true');
    wrap.replaceChildren(form);
    reason.focus();
  });
  return wrap;
}
