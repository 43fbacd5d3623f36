// The anomalies screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /anomalies/), navigate(href)}. Texts: i18n/<lang>/anomalies.json; styles: css/screens/anomalies.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'anomalies');
}
