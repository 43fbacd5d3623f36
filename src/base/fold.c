/* Search folding with utf8proc (see fold.h). */
#include "base/fold.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static utf8proc_int32_t map_d_stroke(utf8proc_int32_t c, void *data)
{
    (void)data;
    if (c == 0x0110 || c == 0x0111) /* Đ đ */
        return 'd';
    return c;
}

int text_fold(const char *in, char *out, size_t cap, pc_err *e)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map_custom(
        (const utf8proc_uint8_t *)in, 0, &mapped,
        UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
            UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP,
        map_d_stroke, NULL);
    if (n < 0) {
        if (cap)
            out[0] = '\0';
        return pc_errf(e, PC_EINVAL, "text is not valid UTF-8 (%s)", utf8proc_errmsg(n));
    }
    /* Collapse every run of non-alphanumeric code points into one space. */
    size_t o = 0, word_start = 0;
    int pending_space = 0, in_word = 0;
    utf8proc_ssize_t i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate(mapped + i, n - i, &c);
        if (len <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(c);
        int alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!alnum) {
            pending_space = o > 0;
            in_word = 0;
        } else {
            if (!in_word) {
                word_start = o; /* where the text ends if this word does not fit */
                in_word = 1;
            }
            size_t need = (size_t)len + (pending_space ? 1 : 0);
            if (o + need + 1 > cap) {
                o = word_start; /* never keep a piece of a word */
                break;
            }
            if (pending_space)
                out[o++] = ' ';
            pending_space = 0;
            memcpy(out + o, mapped + i, (size_t)len);
            o += (size_t)len;
        }
        i += len;
    }
    if (cap)
        out[o] = '\0';
    free(mapped);
    return 0;
}

int text_is_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

int text_display_width(const char *s)
{
    int w = 0;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &c);
        if (n <= 0)
            break;
        w += utf8proc_charwidth(c);
        i += n;
    }
    return w;
}
