// The message catalogue (i18n/vi.json, i18n/en.json): every text of the pages comes from it, by
// key. Vietnamese by default; the choice is remembered in localStorage. Markup names its texts
// with data-i18n (content), data-i18n-placeholder and data-i18n-aria-label.

const LANGS = ['vi', 'en'];
const STORE_KEY = 'powercis.lang';
let lang = 'vi';
let messages = {};
const listeners = [];

function stored() {
  try {
    const v = localStorage.getItem(STORE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null; // storage blocked: the default language
  }
}

export function currentLang() {
  return lang;
}

// The text of key with {name} placeholders filled; the key itself when missing, so a gap in a
// catalogue shows up on screen instead of an empty space.
export function t(key, params = {}) {
  const text = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function apply(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
  root.querySelectorAll('[data-i18n-aria-label]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  });
  document.documentElement.lang = lang;
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = title.textContent;
}

// Screens' own catalogues (i18n/<lang>/<name>.json), loaded with the main one.
const catalogues = [];
export function addCatalogues(names) {
  for (const n of names) if (!catalogues.includes(n)) catalogues.push(n);
}

async function fetchCatalogue(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`catalogue ${path}: HTTP ${res.status}`);
  return res.json();
}

export async function setLang(next) {
  const parts = await Promise.all([`/i18n/${next}.json`, ...catalogues.map((n) => `/i18n/${next}/${n}.json`)].map(fetchCatalogue));
  messages = Object.assign({}, ...parts);
  lang = next;
  try {
    localStorage.setItem(STORE_KEY, next);
  } catch {
    /* not remembered: fine */
  }
  apply();
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn) {
  listeners.push(fn);
}

// Loads the remembered (or default) language and wires the switch button (#lang-switch), which
// toggles between the two.
export async function init(screens = []) {
  addCatalogues(screens);
  await setLang(stored() || 'vi');
  const button = document.getElementById('lang-switch');
  if (button) {
    button.addEventListener('click', () => setLang(lang === 'vi' ? 'en' : 'vi'));
  }
}
