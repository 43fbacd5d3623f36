// The cases screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /cases/), navigate(href)}. Texts: i18n/<lang>/cases.json; styles: css/screens/cases.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'cases');
}
