// The reconciliation screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /reconciliation/), navigate(href)}. Texts: i18n/<lang>/reconciliation.json; styles: css/screens/reconciliation.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'reconciliation');
}
