// The counter screen (docs/web.md "The counter"): a cashier's shift, built for a barcode scanner.
// The scan field keeps the focus: a scanner types the customer code and Enter, which shows the
// customer's open invoices, oldest first, and their total; one more keystroke (Enter again, or
// F2) collects the full amount (or the amount typed in the amount field). Each collection attempt
// has its own Idempotency-Key, reused when the same attempt is sent again after a network error,
// so a second press or a retry never posts twice. The receipt PDF opens in a new window for
// printing; the shift's payments are listed with their reversal; the shift is closed with the cash
// counted. API: docs/api.md "Collection". Texts: i18n/<lang>/counter.json.
import { t } from '../i18n.js';
import { get, post, newKey, ApiError } from '../api.js';
import { money, date, period } from '../format.js';
import { h } from '../ui.js';

const PAGE = 10;

// el's children replaced by those given (null ones left out).
function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function field(id, label, input, hint) {
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), input, hint || null);
}

// "150.000", "150,000", "150 000 đ" → 150000; '' → undefined; anything else → null.
export function parseMoney(text) {
  const s = String(text).replace(/[\s.,đ]/gi, '').replace(/VND$/i, '');
  if (s === '') return undefined;
  if (!/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

const timeFmt = () =>
  new Intl.DateTimeFormat(document.documentElement.lang === 'vi' ? 'vi-VN' : 'en-GB', {
    hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', timeZone: 'Asia/Ho_Chi_Minh',
  });

// An instant "2026-11-23T02:00:00Z" as local time and day.
function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeFmt().format(d);
}

function known(key) {
  return t(key) !== key;
}

// An API error as the cashier reads it: by its code, naming the field it is about.
function errorText(err) {
  if (!(err instanceof ApiError)) return t('counter.error.network');
  const key = `counter.error.${err.code}`;
  let text = known(key) ? t(key) : t('counter.error.other', { status: err.status });
  if (err.field) {
    const f = `counter.field.${err.field}`;
    text += ' ' + t('counter.error.field', { field: known(f) ? t(f) : err.field });
  }
  if ((err.code === 'invalid' || err.code === 'conflict') && err.message) text += ` (${err.message})`;
  return text;
}

export async function render(el, ctx) {
  const s = {
    shift: null, // the open shift's report (GET /api/v1/shifts/{id})
    account: null, // the customer shown (GET …/open)
    collected: false, // the customer shown has been collected from: Enter does not collect again
    attempt: null, // {key, body} of the collection being sent; kept after a network error
    reversal: null, // {receipt, key, body} likewise for a reversal
    busy: false,
    offset: 0,
  };
  const root = h('div', { class: 'counter' });
  el.replaceChildren(root);

  // ---- opening a shift ----
  const floatInput = h('input', { inputMode: 'numeric', autocomplete: 'off', required: true });
  const unitInput = h('input', { autocomplete: 'off', class: 'counter-upper' });
  const openError = h('p', { class: 'error', role: 'alert', id: 'counter-open-error', hidden: true });
  const openForm = h('form', { class: 'card', id: 'counter-open', noValidate: true },
    h('h2', { text: t('counter.open.title') }),
    h('p', { class: 'hint', text: t('counter.open.hint') }),
    field('counter-float', t('counter.open.float'), floatInput),
    ctx.user && ctx.user.role !== 'cashier'
      ? field('counter-unit', t('counter.open.unit'), unitInput, h('p', { class: 'hint', text: t('counter.open.unit.hint') }))
      : null,
    openError,
    h('button', { type: 'submit', class: 'primary', text: t('counter.open.submit') }));
  floatInput.setAttribute('aria-describedby', 'counter-open-error');
  const closedBox = h('section', { class: 'card counter-closed', id: 'counter-closed', hidden: true });

  // ---- the shift at work ----
  const shiftLine = h('p', { class: 'counter-shift', id: 'counter-shift' });
  const scan = h('input', {
    autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', enterKeyHint: 'go',
    class: 'counter-scan', 'aria-describedby': 'counter-keys counter-scan-error',
  });
  const scanError = h('p', { class: 'error', role: 'alert', id: 'counter-scan-error', hidden: true });
  const keys = h('p', { class: 'hint counter-keys', id: 'counter-keys', text: t('counter.scan.keys') });
  const scanBox = h('div', { class: 'card counter-scanbox' },
    field('counter-scan', t('counter.scan.label'), scan), keys, scanError);

  const customerBox = h('section', { class: 'card', id: 'counter-customer', hidden: true, 'aria-live': 'polite' });
  const amountInput = h('input', { inputMode: 'numeric', autocomplete: 'off', 'aria-describedby': 'counter-amount-hint counter-pay-error' });
  const methodSelect = h('select', {},
    ...['cash', 'card', 'qr'].map((m) => h('option', { value: m, text: t(`counter.method.${m}`) })));
  const collectButton = h('button', { type: 'button', class: 'primary', id: 'counter-collect' });
  const payError = h('p', { class: 'error', role: 'alert', id: 'counter-pay-error', hidden: true });
  const result = h('section', { class: 'notice notice-ok counter-result', id: 'counter-result', role: 'status', hidden: true });

  const listBody = h('tbody');
  const listError = h('p', { class: 'error', role: 'alert', hidden: true });
  const listEmpty = h('p', { class: 'hint', text: t('counter.list.empty'), hidden: true });
  const pager = h('div', { class: 'pager' });
  const listBox = h('section', { class: 'card', id: 'counter-payments' },
    h('h2', { text: t('counter.list.title') }),
    listError, listEmpty,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data counter-list' },
        h('thead', {}, h('tr', {},
          h('th', { text: t('counter.list.time') }), h('th', { text: t('counter.list.receipt') }),
          h('th', { text: t('counter.list.customer') }), h('th', { text: t('counter.list.method') }),
          h('th', { class: 'num', text: t('counter.list.amount') }), h('th', { text: t('counter.list.action') }))),
        listBody)),
    pager);

  const countedInput = h('input', { inputMode: 'numeric', autocomplete: 'off', required: true, 'aria-describedby': 'counter-close-diff counter-close-error' });
  const noteInput = h('input', { autocomplete: 'off', maxLength: 250 });
  const expectedLine = h('p', { class: 'counter-expected' });
  const diffLine = h('p', { class: 'counter-diff', id: 'counter-close-diff', 'aria-live': 'polite' });
  const closeError = h('p', { class: 'error', role: 'alert', id: 'counter-close-error', hidden: true });
  const closeForm = h('form', { class: 'card', id: 'counter-close', noValidate: true },
    h('h2', { text: t('counter.close.title') }),
    expectedLine,
    field('counter-counted', t('counter.close.counted'), countedInput),
    diffLine,
    field('counter-note', t('counter.close.note'), noteInput),
    closeError,
    h('button', { type: 'submit', class: 'secondary', text: t('counter.close.submit') }));

  const main = h('div', { class: 'counter-main', hidden: true },
    shiftLine, scanBox, result, customerBox, listBox, closeForm);
  root.append(closedBox, openForm, main);

  const focusScan = () => {
    if (!main.hidden) scan.focus();
  };
  const show = (p, text) => {
    p.textContent = text || '';
    p.hidden = !text;
  };

  // ---- the shift ----
  function drawShift() {
    const sh = s.shift;
    shiftLine.replaceChildren(
      h('strong', { text: t('counter.shift.title', { id: sh.shift_id }) }), ' ',
      h('span', { text: t('counter.shift.info', { time: when(sh.opened_at), float: money(sh.opening_float) }) }), ' ',
      h('span', { class: 'nowrap', id: 'counter-cash', text: t('counter.shift.cash', { cash: money(sh.cash_total), count: sh.postings }) }));
    expectedLine.replaceChildren(t('counter.close.expected') + ' ',
      h('strong', { class: 'nowrap', id: 'counter-expected', text: money(sh.opening_float + sh.cash_total) }));
    drawDifference();
  }

  function drawDifference() {
    const counted = parseMoney(countedInput.value);
    if (!s.shift || counted === undefined || counted === null) {
      diffLine.textContent = '';
      return;
    }
    const diff = counted - (s.shift.opening_float + s.shift.cash_total);
    diffLine.className = `counter-diff ${diff === 0 ? 'counter-even' : diff < 0 ? 'counter-short' : 'counter-over'}`;
    diffLine.textContent = t('counter.close.difference', { amount: (diff > 0 ? '+' : '') + money(diff) });
  }

  async function refreshShift() {
    s.shift = await get(`/api/v1/shifts/${s.shift.shift_id}`);
    drawShift();
  }

  function enterShift(sh) {
    s.shift = sh;
    s.offset = 0;
    openForm.hidden = true;
    main.hidden = false;
    drawShift();
    loadList();
    focusScan();
  }

  function leaveShift() {
    s.shift = null;
    s.account = null;
    customerBox.hidden = true;
    result.hidden = true;
    main.hidden = true;
    openForm.hidden = false;
    floatInput.value = '';
    floatInput.focus();
  }

  // A form's money field, required: its amount, or null with the error said and the focus on it.
  function requiredMoney(input, errorEl) {
    const v = parseMoney(input.value);
    if (v === null || v === undefined) {
      show(errorEl, t('counter.error.amount_format'));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return null;
    }
    input.removeAttribute('aria-invalid');
    return v;
  }

  // A form's submission: send() once at a time; an error is said in errorEl, the focus on input.
  function onSubmit(form, errorEl, input, send) {
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (s.busy) return;
      s.busy = true;
      try {
        if ((await send()) !== false) show(errorEl, '');
      } catch (err) {
        show(errorEl, errorText(err));
        input.focus();
      } finally {
        s.busy = false;
      }
    });
  }

  onSubmit(openForm, openError, floatInput, async () => {
    const float = requiredMoney(floatInput, openError);
    if (float === null) return false;
    const body = { opening_float: float };
    if (unitInput.value.trim()) body.unit = unitInput.value.trim().toUpperCase();
    const sh = await post('/api/v1/shifts', body);
    closedBox.hidden = true;
    enterShift(sh);
    return true;
  });

  // ---- a customer ----
  function drawCustomer() {
    const a = s.account;
    const rows = a.invoices.map((b) =>
      h('tr', {},
        h('td', { text: period(b.period) }),
        h('td', { class: 'nowrap', text: date(b.due_date) }),
        h('td', { class: 'num', text: money(b.open) })));
    const table = a.invoices.length
      ? h('div', { class: 'table-wrap' },
        h('table', { class: 'data counter-invoices' },
          h('caption', { class: 'counter-caption', text: t('counter.customer.invoices') }),
          h('thead', {}, h('tr', {},
            h('th', { text: t('counter.customer.period') }), h('th', { text: t('counter.customer.due') }),
            h('th', { class: 'num', text: t('counter.customer.open') }))),
          h('tbody', {}, rows),
          h('tfoot', {}, h('tr', {},
            h('td', { colSpan: 2, text: t('counter.customer.total') }),
            h('td', { class: 'num', id: 'counter-total', text: money(a.total) })))))
      : h('p', { class: 'notice notice-ok', text: t('counter.customer.nothing') });
    amountInput.value = '';
    amountInput.placeholder = t('counter.pay.amount.placeholder', { amount: money(a.total) });
    fill(customerBox,
      h('h2', { class: 'customer-name', id: 'counter-name', text: a.name }),
      h('p', { class: 'hint counter-who' },
        h('span', { class: 'nowrap', text: a.customer_code }), ' · ', h('span', { text: a.address })),
      a.credit ? h('p', { class: 'hint', text: t('counter.customer.credit', { amount: money(a.credit) }) }) : null,
      table,
      h('div', { class: 'counter-pay', hidden: s.collected },
        field('counter-amount', t('counter.pay.amount'), amountInput,
          h('p', { class: 'hint', id: 'counter-amount-hint', text: t('counter.pay.amount.hint') })),
        field('counter-method', t('counter.pay.method'), methodSelect),
        collectButton),
      payError);
    drawCollectButton();
    customerBox.hidden = false;
  }

  function drawCollectButton() {
    if (!s.account) return;
    const amount = parseMoney(amountInput.value);
    const shown = typeof amount === 'number' ? amount : s.account.total;
    collectButton.textContent = s.busy ? t('counter.pay.posting') : t('counter.pay.submit', { amount: money(shown) });
    collectButton.disabled = s.busy;
  }

  async function lookup(code) {
    show(scanError, '');
    show(payError, '');
    if (!/^[A-Z0-9]{4,20}$/.test(code)) {
      show(scanError, t('counter.error.code_format', { code }));
      scan.select();
      return;
    }
    s.busy = true;
    try {
      const a = await get(`/api/v1/customers/${encodeURIComponent(code)}/open`);
      s.account = a;
      s.collected = false;
      s.attempt = null;
      result.hidden = true;
      drawCustomer();
      scan.value = a.customer_code;
    } catch (err) {
      s.account = null;
      customerBox.hidden = true;
      const key = err instanceof ApiError ? `counter.scan.${err.code}` : '';
      show(scanError, key && known(key) ? t(key, { code }) : errorText(err));
    } finally {
      s.busy = false;
      drawCollectButton();
      focusScan();
      scan.select(); // the next scan replaces what is there
    }
  }

  // ---- collecting ----
  async function collect() {
    if (s.busy || !s.account || s.collected) return;
    show(payError, '');
    const typed = parseMoney(amountInput.value);
    if (typed === null || typed === 0) {
      show(payError, t('counter.error.amount_format'));
      amountInput.setAttribute('aria-invalid', 'true');
      amountInput.select();
      amountInput.focus();
      return;
    }
    amountInput.removeAttribute('aria-invalid');
    const amount = typed === undefined ? s.account.total : typed;
    if (amount <= 0) {
      show(payError, t('counter.error.nothing_due'));
      focusScan();
      return;
    }
    const body = { customer_code: s.account.customer_code, amount, shift_id: s.shift.shift_id, method: methodSelect.value };
    const text = JSON.stringify(body);
    // the same attempt keeps its key (a resend after a lost answer); a changed one gets a new key
    if (!s.attempt || s.attempt.body !== text) s.attempt = { key: newKey(), body: text };
    s.busy = true;
    drawCollectButton();
    customerBox.setAttribute('aria-busy', 'true');
    try {
      const p = await post('/api/v1/payments', body, { key: s.attempt.key });
      s.attempt = null;
      s.collected = true;
      showReceipt(p);
      // the receipt, for printing: a new window (the link in the notice if the browser blocks it)
      window.open(p.receipt_pdf, '_blank');
      scan.value = '';
      await refreshAfterPosting(p.customer_code);
    } catch (err) {
      if (err instanceof ApiError) s.attempt = null; // answered: nothing was posted
      show(payError, err instanceof ApiError ? errorText(err) : t('counter.error.network_retry'));
    } finally {
      s.busy = false;
      customerBox.removeAttribute('aria-busy');
      drawCollectButton();
      focusScan();
    }
  }

  // What a posting changed: the customer's open invoices, the shift's totals and list. A failure
  // here is not the posting's: it is said next to the list.
  async function refreshAfterPosting(code) {
    try {
      s.account = await get(`/api/v1/customers/${encodeURIComponent(code)}/open`);
      drawCustomer();
      await Promise.all([refreshShift(), loadList()]);
    } catch (err) {
      show(listError, errorText(err));
    }
  }

  function showReceipt(p) {
    const link = h('a', { href: p.receipt_pdf, target: '_blank', rel: 'noopener', id: 'counter-receipt-link', text: t('counter.result.print') });
    fill(result,
      h('p', { class: 'counter-result-main', id: 'counter-result-text',
        text: t(p.repeated ? 'counter.result.repeated' : 'counter.result.paid', { amount: money(p.amount), receipt: p.receipt_no, customer: p.customer_code }) }),
      h('p', { text: t('counter.result.left', { amount: money(p.open_total) }) }),
      p.excess > 0 ? h('p', { text: t('counter.result.excess', { amount: money(p.excess) }) }) : null,
      link);
    result.hidden = false;
  }

  scan.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    if (s.busy) return;
    const code = scan.value.trim().toUpperCase();
    scan.value = code;
    if (!code) return;
    if (s.account && code === s.account.customer_code && !s.collected) collect();
    else lookup(code);
  });
  amountInput.addEventListener('input', drawCollectButton);
  amountInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      collect();
    }
  });
  collectButton.addEventListener('click', collect);
  // F2 collects from anywhere on the screen (the listener goes with the screen)
  const onKey = (ev) => {
    if (!root.isConnected) {
      document.removeEventListener('keydown', onKey);
      return;
    }
    if (ev.key === 'F2' && !main.hidden) {
      ev.preventDefault();
      collect();
    }
  };
  document.addEventListener('keydown', onKey);

  // ---- the shift's payments ----
  async function loadList() {
    if (!s.shift) return;
    let page;
    try {
      page = await get(`/api/v1/shifts/${s.shift.shift_id}/payments`, { limit: PAGE, offset: s.offset });
    } catch (err) {
      show(listError, errorText(err));
      return;
    }
    show(listError, '');
    listEmpty.hidden = page.total > 0;
    listBody.replaceChildren(...page.items.map(row));
    pager.replaceChildren();
    if (page.total > PAGE) {
      const prev = h('button', { type: 'button', class: 'secondary', text: t('counter.list.prev'), disabled: s.offset === 0 });
      const next = h('button', { type: 'button', class: 'secondary', text: t('counter.list.next'), disabled: s.offset + PAGE >= page.total });
      prev.addEventListener('click', () => { s.offset = Math.max(0, s.offset - PAGE); loadList(); });
      next.addEventListener('click', () => { s.offset += PAGE; loadList(); });
      pager.append(prev, h('span', { text: t('counter.list.page', { from: s.offset + 1, to: Math.min(s.offset + PAGE, page.total), total: page.total }) }), next);
    }
  }

  function row(p) {
    const action = h('td', { class: 'counter-action' });
    if (p.reversal) action.append(h('span', { class: 'hint', text: t('counter.list.reversal', { reason: p.reason || '' }) }));
    else if (p.reversed) action.append(h('span', { class: 'badge badge-open', text: t('counter.list.reversed') }));
    else {
      const b = h('button', { type: 'button', class: 'counter-reverse', text: t('counter.list.reverse'), dataset: { receipt: p.receipt_no } });
      b.addEventListener('click', () => askReason(p, action));
      action.append(b);
    }
    return h('tr', { dataset: { receipt: p.receipt_no } },
      h('td', { class: 'nowrap', text: p.paid_at.slice(11, 16) }),
      h('td', {}, p.reversal ? h('span', { text: p.receipt_no }) : h('a', { href: `/api/v1/payments/${encodeURIComponent(p.receipt_no)}/receipt.pdf`, target: '_blank', rel: 'noopener', text: p.receipt_no })),
      h('td', { text: p.customer_code }),
      h('td', { text: t(`counter.method.${p.method}`) }),
      h('td', { class: 'num', text: money(p.amount) }),
      action);
  }

  function askReason(p, cell) {
    const id = `counter-reason-${p.receipt_no}`;
    const reason = h('input', { autocomplete: 'off', maxLength: 250, required: true });
    const err = h('p', { class: 'error', role: 'alert', hidden: true });
    const ok = h('button', { type: 'submit', class: 'primary', text: t('counter.reverse.submit') });
    const cancel = h('button', { type: 'button', class: 'secondary', text: t('counter.reverse.cancel') });
    const form = h('form', { class: 'counter-reason', noValidate: true },
      field(id, t('counter.reverse.reason', { receipt: p.receipt_no, amount: money(p.amount) }), reason), err, ok, cancel);
    cell.replaceChildren(form);
    reason.focus();
    cancel.addEventListener('click', () => {
      loadList();
      focusScan();
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (s.busy) return;
      const text = reason.value.trim();
      if (!text) {
        show(err, t('counter.error.reason_required'));
        reason.focus();
        return;
      }
      const body = { reason: text, shift_id: s.shift.shift_id };
      const sig = p.receipt_no + JSON.stringify(body);
      if (!s.reversal || s.reversal.body !== sig) s.reversal = { key: newKey(), body: sig };
      s.busy = true;
      ok.disabled = true;
      try {
        await post(`/api/v1/payments/${encodeURIComponent(p.receipt_no)}/reverse`, body, { key: s.reversal.key });
        s.reversal = null;
        if (s.account && s.account.customer_code === p.customer_code) {
          s.collected = false;
          scan.value = p.customer_code;
          await refreshAfterPosting(p.customer_code);
        } else {
          await Promise.all([refreshShift(), loadList()]).catch((e2) => show(listError, errorText(e2)));
        }
        focusScan();
      } catch (e) {
        if (e instanceof ApiError) s.reversal = null;
        show(err, e instanceof ApiError ? errorText(e) : t('counter.error.network_retry'));
        reason.focus();
      } finally {
        s.busy = false;
        ok.disabled = false;
      }
    });
  }

  // ---- closing the shift ----
  countedInput.addEventListener('input', drawDifference);
  onSubmit(closeForm, closeError, countedInput, async () => {
    const counted = requiredMoney(countedInput, closeError);
    if (counted === null) return false;
    const body = { counted_cash: counted };
    if (noteInput.value.trim()) body.note = noteInput.value.trim();
    const rep = await post(`/api/v1/shifts/${s.shift.shift_id}/close`, body);
    countedInput.value = '';
    noteInput.value = '';
    drawClosed(rep);
    leaveShift();
    return true;
  });

  function drawClosed(rep) {
    const d = rep.difference;
    closedBox.replaceChildren(
      h('h2', { text: t('counter.closed.title', { id: rep.shift_id }) }),
      h('dl', { class: 'facts' },
        h('dt', { text: t('counter.closed.float') }), h('dd', { text: money(rep.opening_float) }),
        h('dt', { text: t('counter.closed.cash') }), h('dd', { text: money(rep.cash_total) }),
        h('dt', { text: t('counter.closed.expected') }), h('dd', { id: 'counter-closed-expected', text: money(rep.expected_cash) }),
        h('dt', { text: t('counter.closed.counted') }), h('dd', { id: 'counter-closed-counted', text: money(rep.counted_cash) }),
        h('dt', { text: t('counter.closed.difference') }),
        h('dd', { id: 'counter-closed-difference', class: d === 0 ? 'counter-even' : d < 0 ? 'counter-short' : 'counter-over', text: (d > 0 ? '+' : '') + money(d) })),
      h('p', { class: 'hint', text: t(d === 0 ? 'counter.closed.even' : d < 0 ? 'counter.closed.short' : 'counter.closed.over') }));
    closedBox.hidden = false;
  }

  // ---- start: the account's open shift, if any ----
  const mine = await get('/api/v1/me/shift');
  if (mine.shift) enterShift(mine.shift);
  else {
    openForm.hidden = false;
    floatInput.focus();
  }
}
