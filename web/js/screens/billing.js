// The billing screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /billing/), navigate(href)}. Texts: i18n/<lang>/billing.json; styles: css/screens/billing.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'billing');
}
