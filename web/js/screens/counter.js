// The counter screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /counter/), navigate(href)}. Texts: i18n/<lang>/counter.json; styles: css/screens/counter.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'counter');
}
