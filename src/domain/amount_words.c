/* Vietnamese number words for amounts (see amount_words.h). Conventions of printed invoices:
 * "mười" for 10–19, "mươi" from 20; "mốt" for a final 1 after 20+, "lăm" for a final 5 after
 * 10+; "lẻ" when the tens are zero ("một trăm lẻ năm"); an inner group keeps "không trăm"
 * ("một triệu không trăm lẻ năm nghìn"); whole zero groups are skipped. */
#include "domain/amount_words.h"

#include <string.h>

#include "base/buf.h"

static const char *const digit_words[10] = {"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"};

/* One group of three digits; full = whether the hundreds must be said when zero. */
static void group_words(buf *b, int n, int full)
{
    int h = n / 100, t = n / 10 % 10, u = n % 10;
    if (h > 0 || full)
        buf_printf(b, " %s trăm", digit_words[h]);
    if (t == 0) {
        if (u > 0 && (h > 0 || full))
            buf_puts(b, " lẻ");
    } else if (t == 1) {
        buf_puts(b, " mười");
    } else {
        buf_printf(b, " %s mươi", digit_words[t]);
    }
    if (u == 0)
        return;
    if (u == 1 && t >= 2)
        buf_puts(b, " mốt");
    else if (u == 5 && t >= 1)
        buf_puts(b, " lăm");
    else
        buf_printf(b, " %s", digit_words[u]);
}

int amount_in_words(int64_t dong, char *out, size_t cap)
{
    static const char *const scale[] = {"", " nghìn", " triệu", " tỷ", " nghìn tỷ", " triệu tỷ", " tỷ tỷ"};
    buf b = {0};
    uint64_t v = dong < 0 ? (uint64_t)0 - (uint64_t)dong : (uint64_t)dong;
    if (dong < 0)
        buf_puts(&b, " âm");
    if (v == 0) {
        buf_puts(&b, " không");
    } else {
        int groups[7], n = 0;
        while (v) {
            groups[n++] = (int)(v % 1000);
            v /= 1000;
        }
        for (int i = n - 1; i >= 0; i--) {
            if (groups[i] == 0)
                continue;
            group_words(&b, groups[i], i < n - 1);
            buf_puts(&b, scale[i]);
        }
    }
    buf_puts(&b, " đồng");
    const char *s = b.data + 1; /* drop the leading space */
    size_t len = strlen(s);
    int rc = -1;
    if (len + 1 <= cap) {
        memcpy(out, s, len + 1);
        /* Capitalise the first letter: every first word is ASCII-initial except "âm" (â). */
        if (out[0] >= 'a' && out[0] <= 'z')
            out[0] = (char)(out[0] - 'a' + 'A');
        else if (strncmp(out, "â", strlen("â")) == 0)
            memcpy(out, "Â", strlen("Â"));
        rc = 0;
    }
    buf_free(&b);
    return rc;
}
