// The staff app's shell (index.html): signs in against POST /api/v1/login and GET /api/v1/me
// (docs/api.md), then shows the navigation of the screens the account's role may use and draws
// the screen of the address (/counter, /customers/PA0101…, …) from its module
// js/screens/<name>.js, which exports render(el, ctx). The session is an HttpOnly cookie; the
// CSRF token the login returns is kept for the session's writes (js/api.js).
import { init, t, onLangChange } from './i18n.js';
import { get, post, setCsrf, ApiError } from './api.js';

const $ = (id) => document.getElementById(id);

// The screens, in the navigation's order, and the roles that see each (the server refuses the
// others anyway: this only keeps the menu to what works).
const STAFF = ['administrator', 'corporation', 'company', 'unit_officer', 'cashier', 'auditor', 'read_only', 'account_manager'];
const DEBT_READ = ['administrator', 'corporation', 'company', 'unit_officer', 'auditor', 'read_only', 'account_manager'];
const SCREENS = {
  counter: ['administrator', 'corporation', 'company', 'unit_officer', 'cashier'],
  customers: STAFF,
  debt: DEBT_READ,
  cases: DEBT_READ,
  phanky: DEBT_READ,
  outages: DEBT_READ,
  anomalies: DEBT_READ,
  billing: DEBT_READ,
  files: ['administrator', 'corporation', 'company', 'unit_officer'],
  requests: STAFF,
  // a partner's whole day: above the units only (docs/api.md "Reconciliation")
  reconciliation: ['administrator', 'corporation', 'company'],
  // an account manager's worklist and the service grids (docs/grids.md)
  worklist: DEBT_READ,
  risk: DEBT_READ,
  prepaid: STAFF,
};
const NAMES = Object.keys(SCREENS);
let user = null;
let loginError = null; // {key, params} shown, redrawn on a language change
let drawn = 0; // guards against a slow screen drawing over a newer one

function showLoginError(key, params = {}) {
  loginError = { key, params };
  $('login-error').textContent = t(key, params);
  $('login-error').hidden = false;
}

function allowed(name) {
  return user && SCREENS[name].includes(user.role);
}

function screenOf(path) {
  const parts = path.replace(/^\/+/, '').split('/').map(decodeURIComponent);
  const name = parts[0];
  if (SCREENS[name]) return { name, path: parts.slice(1).filter((p) => p !== '') };
  // an account manager starts from its worklist, everyone else from the first screen allowed
  return { name: user && user.role === 'account_manager' ? 'worklist' : NAMES.find(allowed) || 'customers', path: [] };
}

export function navigate(href) {
  history.pushState(null, '', href);
  showScreen();
}

async function showScreen() {
  const { name, path } = screenOf(location.pathname);
  const ticket = ++drawn;
  document.querySelectorAll('.nav a[data-screen]').forEach((a) => {
    a.hidden = !allowed(a.dataset.screen);
    if (a.dataset.screen === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  $('screen-title').textContent = t(`nav.${name}`);
  const body = $('screen-body');
  document.body.dataset.screen = name;
  if (!allowed(name)) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = t('shell.forbidden');
    body.replaceChildren(p);
    return;
  }
  body.replaceChildren();
  body.setAttribute('aria-busy', 'true');
  try {
    const mod = await import(`./screens/${name}.js`);
    if (ticket !== drawn) return;
    await mod.render(body, { user, path, navigate, screen: name });
  } catch (err) {
    if (ticket !== drawn) return;
    if (err instanceof ApiError && err.status === 401) {
      user = null;
      showLogin();
      showLoginError('shell.signed_out');
      return;
    }
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = t('shell.error', { message: err.message });
    body.replaceChildren(p);
  } finally {
    if (ticket === drawn) body.removeAttribute('aria-busy');
  }
}

function showApp() {
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('who').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = t('shell.welcome', { name: user.name || user.login });
  showScreen();
}

function showLogin() {
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('logout').hidden = true;
  $('login-view').hidden = false;
  $('login-name').focus();
}

async function login(event) {
  event.preventDefault();
  $('login-error').hidden = true;
  loginError = null;
  let res;
  try {
    res = await fetch('/api/v1/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ login: $('login-name').value.trim(), password: $('login-password').value }),
    });
  } catch {
    showLoginError('login.error.network');
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.ok && body.user) {
    user = body.user;
    setCsrf(body.csrf_token);
    $('login-password').value = '';
    showApp();
    $('screen').focus();
  } else if (res.status === 401) {
    showLoginError('login.error.unauthenticated');
  } else {
    showLoginError('login.error.status', { status: res.status });
  }
}

async function logout() {
  try {
    await post('/api/v1/logout');
  } catch {
    /* the session is gone either way */
  }
  setCsrf('');
  user = null;
  history.pushState(null, '', '/');
  showLogin();
}

async function start() {
  await init(NAMES);
  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  // the navigation stays in the page: screens are drawn, not loaded
  document.querySelectorAll('.nav a[data-screen]').forEach((a) =>
    a.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      navigate(a.getAttribute('href'));
    }),
  );
  window.addEventListener('popstate', showScreen);
  onLangChange(() => {
    if (user) showApp();
    if (loginError) showLoginError(loginError.key, loginError.params);
  });
  try {
    const body = await get('/api/v1/me');
    user = body.user || body;
    if (body.csrf_token) setCsrf(body.csrf_token);
  } catch {
    /* not signed in, or no server answer: the login form says so when used */
  }
  if (user) showApp();
  else showLogin();
  document.body.dataset.ready = '1';
}

start();
