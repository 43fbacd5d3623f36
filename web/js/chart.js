// A bar chart of kWh per month drawn as SVG (no library): one bar per month, its value above it
// and the month below, scaled to the largest month. It scales with its container's width.
import * as fmt from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// months: [{month: "2025-07", kwh: 100}, …] oldest first. Returns the <svg>.
export function barChart(months, label) {
  const width = 340;
  const height = 180;
  const top = 18;
  const bottom = 22;
  const n = Math.max(months.length, 1);
  const slot = width / n;
  const bar = Math.min(slot * 0.7, 36);
  const max = Math.max(1, ...months.map((m) => m.kwh));
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  svg.appendChild(el('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'chart-axis' }));
  months.forEach((m, i) => {
    const h = ((height - top - bottom) * Math.max(m.kwh, 0)) / max;
    const x = i * slot + (slot - bar) / 2;
    const y = height - bottom - h;
    const g = el('g', { class: 'chart-bar', 'data-month': m.month, 'data-kwh': m.kwh });
    g.appendChild(el('rect', { x, y, width: bar, height: Math.max(h, 1), rx: 2 }));
    g.appendChild(el('text', { x: x + bar / 2, y: y - 4, class: 'chart-value' }, fmt.number(m.kwh)));
    g.appendChild(el('text', { x: x + bar / 2, y: height - 6, class: 'chart-month' }, fmt.shortMonth(m.month)));
    svg.appendChild(g);
  });
  return svg;
}

// Bars of amounts, one per category: bars [{key, label, value}], each value written above its bar
// in the short form (format.compact) and its label below; the aria-label reads them all out.
export function amountBars(bars, label) {
  return stackedBars(bars.map((b, i) => ({ key: b.key, label: b.label, parts: [b.value], classes: [`chart-s${i}`] })), [{ key: 'value' }], label);
}

// Stacked columns: columns [{key, label, parts: [v0, v1, …]}] and series [{key}] naming the parts
// (part i is drawn with the class chart-s<i>, or the column's classes[i], bottom up); the column's sum is written above it.
// Each column is a <g class="chart-col" data-key data-total>, each part a rect with data-series.
export function stackedBars(columns, series, label) {
  const width = Math.max(340, columns.length * 46); // room for each column's figure
  const height = 190;
  const top = 18;
  const bottom = 34;
  const n = Math.max(columns.length, 1);
  const slot = width / n;
  const bar = Math.min(slot * 0.7, 40);
  const sums = columns.map((c) => c.parts.reduce((a, v) => a + Math.max(v, 0), 0));
  const max = Math.max(1, ...sums);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  svg.appendChild(el('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'chart-axis' }));
  columns.forEach((c, i) => {
    const x = i * slot + (slot - bar) / 2;
    let y = height - bottom;
    const g = el('g', { class: 'chart-col', 'data-key': c.key, 'data-total': sums[i] });
    c.parts.forEach((v, k) => {
      const h = ((height - top - bottom) * Math.max(v, 0)) / max;
      if (h <= 0) return;
      y -= h;
      g.appendChild(el('rect', { x, y, width: bar, height: h, class: (c.classes && c.classes[k]) || `chart-s${k}`, 'data-series': series[k].key }));
    });
    g.appendChild(el('text', { x: x + bar / 2, y: y - 4, class: 'chart-value' }, fmt.compact(sums[i])));
    // a long label is written on two lines at its first space
    const words = String(c.label).split(' ');
    const cut = words.length > 1 ? Math.ceil(words.length / 2) : 1;
    [words.slice(0, cut).join(' '), words.slice(cut).join(' ')].forEach((line, j) => {
      if (line) g.appendChild(el('text', { x: x + bar / 2, y: height - bottom + 13 + j * 12, class: 'chart-month' }, line));
    });
    svg.appendChild(g);
  });
  return svg;
}
