// The staff app's shell (index.html): signs in against POST /api/v1/login and GET /api/v1/me
// (docs/api.md), then shows the navigation; each screen (counter, customers, debt, phân kỳ) is a
// placeholder until it is built. The session is an HttpOnly cookie; the CSRF token the login
// returns is kept for the session's writes.
import { init, t, onLangChange } from './i18n.js';

const $ = (id) => document.getElementById(id);
const SCREENS = ['counter', 'customers', 'debt', 'phanky'];
let user = null;
let loginError = null; // {key, params} shown, redrawn on a language change

function showLoginError(key, params = {}) {
  loginError = { key, params };
  $('login-error').textContent = t(key, params);
  $('login-error').hidden = false;
}

function screenOf(path) {
  const name = path.replace(/^\/+/, '').split('/')[0];
  return SCREENS.includes(name) ? name : SCREENS[0];
}

function showScreen() {
  const screen = screenOf(location.pathname);
  document.querySelectorAll('.nav a[data-screen]').forEach((a) => {
    if (a.dataset.screen === screen) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  $('screen-title').textContent = t(`nav.${screen}`);
  $('screen-body').textContent = t('shell.placeholder', { screen: t(`nav.${screen}`) });
}

function showApp() {
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('who').hidden = false;
  $('who').textContent = t('shell.welcome', { name: user.name || user.login });
  showScreen();
}

function showLogin() {
  $('app-view').hidden = true;
  $('who').hidden = true;
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
    try {
      sessionStorage.setItem('powercis.csrf', body.csrf_token || '');
    } catch {
      /* the token then lives only in this page */
    }
    $('login-password').value = '';
    showApp();
    $('screen').focus();
  } else if (res.status === 401) {
    showLoginError('login.error.unauthenticated');
  } else {
    showLoginError('login.error.status', { status: res.status });
  }
}

async function start() {
  await init();
  $('login').addEventListener('submit', login);
  // the navigation stays in the page: screens are drawn, not loaded
  document.querySelectorAll('.nav a[data-screen]').forEach((a) =>
    a.addEventListener('click', (e) => {
      e.preventDefault();
      history.pushState(null, '', a.getAttribute('href'));
      showScreen();
    }),
  );
  window.addEventListener('popstate', showScreen);
  onLangChange(() => {
    if (user) showApp();
    if (loginError) showLoginError(loginError.key, loginError.params);
  });
  try {
    const res = await fetch('/api/v1/me', { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const body = await res.json();
      user = body.user || body;
    }
  } catch {
    /* no server answer: the login form says so when used */
  }
  if (user) showApp();
  else showLogin();
  document.body.dataset.ready = '1';
}

start();
