// The debt screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /debt/), navigate(href)}. Texts: i18n/<lang>/debt.json; styles: css/screens/debt.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'debt');
}
