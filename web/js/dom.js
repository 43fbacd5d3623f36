// Building the page's elements in script (no inline HTML, no framework): h('tag', {attributes},
// …children). class → className, data-* as attributes, anything else as the element's property;
// children are nodes or text (null and undefined are skipped).
export function h(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') n.className = v;
    else if (k.startsWith('data-')) n.setAttribute(k, v);
    else n[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) n.append(c);
  return n;
}
