// Small DOM helpers shared by the staff screens: element building, tables of figures, links that
// stay in the app, field errors from the API's {"error":{"field"}}, and downloads.
import { t } from './i18n.js';

// h('p', {class: 'hint'}, 'text', child…): an element; attributes with a null/false value are left
// out, `on*` functions become listeners, `dataset` is an object of data-* values.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// A link to an address of the app, drawn by the shell without a reload.
export function appLink(ctx, href, text, attrs = {}) {
  return h('a', {
    href,
    ...attrs,
    onclick: (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      ctx.navigate(href);
    },
  }, text);
}

// A table in its scrolling box: head [{text, num}], rows of cells (a Node, a string, or
// {text|node, num, field, value}); foot the same as a row. Returns the .table-wrap.
export function table(head, rows, foot = null, attrs = {}) {
  const cell = (tag, c) => {
    if (c instanceof Node || typeof c !== 'object' || c === null) return h(tag, {}, c ?? '');
    return h(tag, { class: c.num ? 'num' : c.class || null, dataset: c.field ? { field: c.field, value: c.value ?? '' } : undefined, scope: c.scope || null }, c.node || c.text || '');
  };
  const thead = h('thead', {}, h('tr', {}, head.map((c) => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.text))));
  const tbody = h('tbody', {}, rows.map((r) => {
    const tr = h('tr', r.attrs || {}, (r.cells || r).map((c) => cell('td', c)));
    return tr;
  }));
  const tb = h('table', { class: 'data', ...attrs }, thead, tbody);
  if (foot) tb.append(h('tfoot', {}, h('tr', foot.attrs || {}, (foot.cells || foot).map((c) => cell('td', c)))));
  return h('div', { class: 'table-wrap', tabindex: '0' }, tb);
}

// Shows an API failure on a form: the message under the field it names (when the form has it),
// else in the form's alert region. fields: {apiField: inputId}.
export function showErrors(form, err, fields) {
  clearErrors(form);
  const id = err && err.field ? fields[err.field] : null;
  const input = id ? form.querySelector(`#${id}`) : null;
  const message = (err && err.message) || String(err);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const p = form.querySelector(`#${id}-error`);
    p.textContent = message;
    p.hidden = false;
    input.focus();
  } else {
    const alert = form.querySelector('.form-alert');
    alert.textContent = message;
    alert.hidden = false;
  }
}

export function clearErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error, .form-alert').forEach((p) => {
    p.textContent = '';
    p.hidden = true;
  });
}

// A labelled field: {id, label, input (an element)}; an error line tied by aria-describedby.
export function field(id, label, input, hint = null) {
  input.id = id;
  const described = [`${id}-error`];
  const parts = [h('label', { for: id }, label), input];
  if (hint) {
    parts.push(h('p', { class: 'hint', id: `${id}-hint` }, hint));
    described.push(`${id}-hint`);
  }
  input.setAttribute('aria-describedby', described.join(' '));
  parts.push(h('p', { class: 'field-error error', id: `${id}-error`, role: 'alert', hidden: true }));
  return h('div', { class: 'field' }, parts);
}

// "YYYY-MM-DD" of today in the browser's time.
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// A line that says the list is empty.
export function empty(key) {
  return h('p', { class: 'hint' }, t(key));
}

// An address with its query: path plus the non-empty parameters.
export function withQuery(path, query) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
