// The files screen (docs/web.md). render(el, ctx) draws it into el; ctx: {user, path (the parts of
// the address after /files/), navigate(href)}. Texts: i18n/<lang>/files.json; styles: css/screens/files.css.
import { placeholder } from './_stub.js';

export function render(el) {
  placeholder(el, 'files');
}
