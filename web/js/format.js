// Numbers, money and dates as each language writes them: "217.836 đ" and "15/08/2025" in
// Vietnamese, "217,836 VND" and "15 Aug 2025" in English.
import { currentLang, t } from './i18n.js';

function locale() {
  return currentLang() === 'vi' ? 'vi-VN' : 'en-GB';
}

export function number(n) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(n);
}

export function money(n) {
  return `${number(n)}\u00a0${t('unit.currency')}`; // never broken from its number
}

export function kwh(n) {
  return `${number(n)}\u00a0${t('unit.kwh')}`;
}

// "2025-08-15" → a date in the language's order (parsed by hand: no time zone shift).
export function date(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: currentLang() === 'vi' ? '2-digit' : 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

// "2025-07" → "07/2025" or "Jul 2025".
export function period(ym) {
  const [y, m] = ym.split('-').map(Number);
  if (currentLang() === 'vi') return `${String(m).padStart(2, '0')}/${y}`;
  return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

// "2025-07" → "T7" or "Jul": a chart's axis label.
export function shortMonth(ym) {
  const m = Number(ym.split('-')[1]);
  if (currentLang() === 'vi') return `T${m}`;
  return new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
}

// A short figure for a chart's label: "1,2 tr" / "1.2M" (the language's compact notation).
export function compact(n) {
  return new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

// A figure with a fixed number of decimals ("99,50" / "99.50"), for percentages.
export function decimal(n, digits = 2) {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}
