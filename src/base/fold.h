/* Text folding for search: "Nguyễn Văn Đức, Hà Đông" → "nguyen van duc ha dong".
 * Unicode decomposition drops the tone and vowel marks; đ/Đ has no decomposition, so it is
 * mapped to d explicitly. Anything that is not a letter or digit becomes one space. */
#ifndef PC_BASE_FOLD_H
#define PC_BASE_FOLD_H

#include <stddef.h>

#include "base/err.h"

/* Writes the folded text into out (NUL-terminated, at most cap bytes, cut at a token
 * boundary if longer). Returns 0, or -1 when the input is not valid UTF-8. */
int text_fold(const char *in, char *out, size_t cap, pc_err *e);

/* Whether s is valid UTF-8 (CSV rows and request bodies are checked with it). */
int text_is_utf8(const char *s, size_t len);

/* Columns the text takes in a terminal (for aligned tables of Vietnamese names). */
int text_display_width(const char *s);

#endif
