// The phanky screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /phanky/), navigate(href)}. Texts: i18n/<lang>/phanky.json; styles: css/screens/phanky.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'phanky');
}
