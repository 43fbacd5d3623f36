// What a screen shows until it is built: its name and a line saying so.
import { t } from '../i18n.js';

export function placeholder(el, name) {
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = t('shell.placeholder', { screen: t(`nav.${name}`) });
  el.replaceChildren(p);
}
