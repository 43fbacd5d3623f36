// The customers screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /customers/), navigate(href)}. Texts: i18n/<lang>/customers.json; styles: css/screens/customers.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'customers');
}
