// The public self-service page (self.html): code + last 4 phone digits → the account from
// GET /api/v1/self/{code}?phone4=, drawn here: customer, payment status with the VietQR
// (GET /api/v1/self/{code}/qr.svg), a consumption chart and the latest bills.
import { init, t, onLangChange } from './i18n.js';
import * as fmt from './format.js';
import { barChart } from './chart.js';

const $ = (id) => document.getElementById(id);
let account = null; // the last answer, redrawn when the language changes
let asked = null; // {code, phone4} of that answer

function showError(key, params) {
  const box = $('lookup-error');
  box.textContent = t(key, params);
  box.dataset.key = key;
  box.dataset.params = JSON.stringify(params || {});
  box.hidden = false;
}

function clearError() {
  const box = $('lookup-error');
  box.hidden = true;
  box.textContent = '';
  delete box.dataset.key;
}

function billItem(b) {
  const li = document.createElement('li');
  li.className = `bill bill-${b.status}`;
  li.dataset.period = b.period;
  const head = document.createElement('div');
  head.className = 'bill-head';
  const per = document.createElement('span');
  per.className = 'bill-period';
  per.textContent = `${t('self.bill.period')} ${fmt.period(b.period)}`;
  const status = document.createElement('span');
  status.className = `badge badge-${b.status}`;
  status.textContent = t(`self.bill.status.${b.status}`);
  head.append(per, status);
  const dl = document.createElement('dl');
  dl.className = 'facts';
  const rows = [
    ['self.bill.kwh', fmt.kwh(b.kwh), 'kwh'],
    ['self.bill.amount', fmt.money(b.amount), 'amount'],
    ['self.bill.due_date', fmt.date(b.due_date), 'due'],
  ];
  if (b.open > 0) rows.push(['self.bill.open', fmt.money(b.open), 'open']);
  for (const [key, value, cls] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = t(key);
    const dd = document.createElement('dd');
    dd.className = `bill-${cls}`;
    dd.textContent = value;
    dl.append(dt, dd);
  }
  li.append(head, dl);
  return li;
}

function render() {
  const a = account;
  if (!a) return;
  $('customer-name').textContent = a.customer.name;
  $('customer-code').textContent = a.customer.code;
  $('customer-address').textContent = a.customer.address;
  $('customer-unit').textContent = a.customer.unit.name;

  const p = a.payment;
  const status = $('status');
  status.textContent = t(`self.status.${p.status}`);
  status.className = `status status-${p.status}`;
  $('open-total').textContent = fmt.money(p.open_total);
  $('overdue-total').textContent = fmt.money(p.overdue_total);
  $('overdue-label').hidden = $('overdue-total').hidden = p.overdue_total <= 0;
  $('last-payment').textContent = p.last_payment
    ? `${fmt.money(p.last_payment.amount)}, ${fmt.date(p.last_payment.paid_at)}`
    : t('self.last_payment.none');

  const hasQr = Boolean(p.vietqr);
  $('qr-box').hidden = !hasQr;
  $('qr-none').hidden = hasQr || p.open_total <= 0;
  if (hasQr) {
    const img = $('qr');
    const src = `/api/v1/self/${encodeURIComponent(asked.code)}/qr.svg?phone4=${encodeURIComponent(asked.phone4)}`;
    if (img.getAttribute('src') !== src) img.src = src;
    img.alt = t('self.qr.alt', { amount: fmt.money(p.vietqr.amount) });
    $('qr-help').textContent = t('self.qr.help', { amount: fmt.money(p.vietqr.amount) });
  }

  const chart = $('chart');
  chart.replaceChildren();
  if (a.consumption.length) {
    const summary = a.consumption.map((m) => `${fmt.period(m.month)} ${fmt.kwh(m.kwh)}`).join(', ');
    chart.appendChild(barChart(a.consumption, t('self.chart.label', { summary })));
  } else {
    const none = document.createElement('p');
    none.className = 'hint';
    none.textContent = t('self.chart.none');
    chart.appendChild(none);
  }

  const list = $('bills');
  list.replaceChildren(...a.bills.map(billItem));
  if (!a.bills.length) {
    const li = document.createElement('li');
    li.className = 'hint';
    li.textContent = t('self.bills.none');
    list.appendChild(li);
  }
}

async function lookup(event) {
  event.preventDefault();
  clearError();
  const code = $('code').value.trim().toUpperCase();
  const phone4 = $('phone4').value.trim();
  if (!/^[A-Za-z0-9]{1,15}$/.test(code) || !/^[0-9]{4}$/.test(phone4)) {
    showError('self.error.invalid');
    ($('code').value.trim() ? $('phone4') : $('code')).focus();
    return;
  }
  const button = $('submit');
  button.disabled = true;
  button.textContent = t('self.loading');
  try {
    const res = await fetch(`/api/v1/self/${encodeURIComponent(code)}?phone4=${encodeURIComponent(phone4)}`, {
      headers: { Accept: 'application/json' },
    });
    if (res.status === 429) {
      const secs = Number(res.headers.get('Retry-After')) || 900;
      showError('self.error.throttled', { minutes: Math.ceil(secs / 60) });
    } else if (res.status === 400) {
      showError('self.error.invalid');
    } else if (!res.ok) {
      showError('self.error.notfound');
    } else {
      account = await res.json();
      asked = { code, phone4 };
      render();
      $('lookup').hidden = true;
      $('result').hidden = false;
      $('customer-h').focus();
      return;
    }
    $('phone4').focus();
  } catch {
    showError('self.error.network');
  } finally {
    button.disabled = false;
    button.textContent = t('self.submit');
  }
}

function again() {
  account = null;
  asked = null;
  $('result').hidden = true;
  $('lookup').hidden = false;
  $('phone4').value = '';
  $('code').focus();
}

async function start() {
  await init();
  $('customer-h').tabIndex = -1; // focus lands on the result's first heading
  $('lookup').addEventListener('submit', lookup);
  $('again').addEventListener('click', again);
  onLangChange(() => {
    render();
    const box = $('lookup-error');
    if (!box.hidden && box.dataset.key) box.textContent = t(box.dataset.key, JSON.parse(box.dataset.params || '{}'));
  });
  document.body.dataset.ready = '1';
}

start();
