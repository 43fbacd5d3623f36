// Building DOM without markup strings (no innerHTML, nothing for the CSP to object to):
// h('p', {className: 'hint'}, 'text', child) makes an element with properties and children;
// a property whose name starts with "data-" or "aria-" is set as an attribute.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('data-') || k.startsWith('aria-') || k === 'for' || k === 'role') el.setAttribute(k, v === true ? '' : v);
    else el[k] = v;
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

// A <table class="data"> in its scrolling wrapper: head is a list of [text, numeric?], rows a
// list of cell lists (a cell is text or [text, numeric?]).
export function table(head, rows, caption) {
  const cell = (tag, c) => {
    const [text, num] = Array.isArray(c) ? c : [c, false];
    return h(tag, { className: num ? 'num' : '' }, text);
  };
  return h('div', { className: 'table-wrap' },
    h('table', { className: 'data' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, head.map((c) => cell('th', c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => cell('td', c)))))));
}
