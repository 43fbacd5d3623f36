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
