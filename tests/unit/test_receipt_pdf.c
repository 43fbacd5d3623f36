/* The counter's printed documents (formats/receipt_pdf, formats/card_pdf), checked the way a
 * person and a scanner see them: the text poppler extracts (Vietnamese intact, amounts formatted,
 * the total in words) and the Code 128 symbols zbar decodes from a 300 dpi rendering. poppler-utils
 * and zbar-tools are required (make check installs them): without them these tests fail. */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/card_pdf.h"
#include "formats/receipt_pdf.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/powercis-pdf-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    int rc = system(cmd) == 0 ? 0 : -1;
    /* pango, cairo and fontconfig keep process-wide font caches; releasing them here keeps the
     * leak checker quiet without suppressions, so a leak of ours still shows. fontconfig is not
     * linked directly (pango loads it), hence the lookup. */
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    void (*fc_fini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
    if (fc_fini)
        fc_fini();
    return rc;
}

/* Fails (never skips) when a tool is missing: these checks are the point of the test. */
static void require_tools(void)
{
    static const char *tools[] = {"pdftotext", "pdfinfo", "pdftoppm", "zbarimg"};
    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tools[i]);
        if (system(cmd) != 0)
            fail_msg("%s is not installed (poppler-utils, zbar-tools; `make check` installs them)", tools[i]);
    }
}

/* Runs a shell command and returns its standard output (caller frees). */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        fail_msg("cannot run: %s", cmd);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t got;
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 1024) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    pclose(p);
    return out;
}

/* Every run of white space (poppler's line and page breaks included) becomes one space, so a
 * phrase the layout wrapped still matches. */
static char *squeeze(const char *s)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    assert_non_null(o);
    int space = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f') {
            space = 1;
            continue;
        }
        if (space && w != o)
            *w++ = ' ';
        space = 0;
        *w++ = *s;
    }
    *w = '\0';
    return o;
}

/* In layout mode, so a label and the amount beside it come out on one line. */
static char *pdf_text_of(const char *pdf)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 '%s' - 2>/dev/null", pdf);
    return run(cmd);
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + strlen(needle), needle))
        n++;
    return n;
}

#define assert_contains(hay, needle)                                                                   \
    do {                                                                                               \
        if (!strstr((hay), (needle)))                                                                  \
            fail_msg("expected \"%s\" in the PDF text:\n%s", (needle), (hay));                         \
    } while (0)

/* The Code 128 symbols in the pages, one per line, as a counter's scanner reads them. Only Code
 * 128 is enabled, so a stray partial decode of another symbology cannot pass or fail the test. */
static char *decode_barcodes(const char *pdf, const char *prefix)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "pdftoppm -r 300 -png '%s' '%s/%s' && "
             "zbarimg --raw -q -Sdisable -Scode128.enable '%s/%s'-*.png 2>/dev/null",
             pdf, dir, prefix, dir, prefix);
    return run(cmd);
}

/* Page count and the first page's size in points, from pdfinfo. */
static void page_info(const char *pdf, int *pages, double *w, double *h)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", pdf);
    char *info = run(cmd);
    const char *p = strstr(info, "Pages:");
    const char *s = strstr(info, "Page size:");
    assert_non_null(p);
    assert_non_null(s);
    *pages = atoi(p + 6);
    assert_int_equal(sscanf(s + 10, "%lf x %lf", w, h), 2);
    free(info);
}

/* Every word poppler finds on a card sheet lies within one card of the grid (85.6 × 54 mm cards,
 * 2 × 5, centred on A4), nothing runs over an edge; returns the number of text lines of each card
 * slot, lines[page][slot]. An ellipsized run is one "word" carrying the elided text, so it is
 * its position, not its text, that shows whether the address was cut to fit. */
#define MAX_PAGES 4
static void card_text_lines(const char *pdf, int lines[MAX_PAGES][CARDS_PER_SHEET])
{
    const double mm = 72.0 / 25.4, cw = 85.6 * mm, ch = 54.0 * mm;
    const double gx = (210 * mm - CARD_COLUMNS * cw) / 2, gy = (297 * mm - CARD_ROWS * ch) / 2;
    double seen[MAX_PAGES][CARDS_PER_SHEET][24];
    memset(lines, 0, sizeof(int) * MAX_PAGES * CARDS_PER_SHEET);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdftotext -bbox '%s' - 2>/dev/null", pdf);
    char *xml = run(cmd);
    int page = -1;
    for (char *l = strtok(xml, "\n"); l; l = strtok(NULL, "\n")) {
        double x0, y0, x1, y1;
        if (strstr(l, "<page "))
            page++;
        const char *w = strstr(l, "<word ");
        if (!w)
            continue;
        assert_int_equal(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1), 4);
        int c0 = (int)((x0 - gx) / cw), c1 = (int)((x1 - 0.01 - gx) / cw);
        int r0 = (int)((y0 - gy) / ch), r1 = (int)((y1 - 0.01 - gy) / ch);
        if (x0 < gx || y0 < gy || c0 != c1 || r0 != r1 || c1 >= CARD_COLUMNS || r1 >= CARD_ROWS)
            fail_msg("text outside its card on page %d: %s", page + 1, l);
        assert_true(page >= 0 && page < MAX_PAGES);
        int slot = r0 * CARD_COLUMNS + c0, n = lines[page][slot], known = 0;
        for (int i = 0; i < n; i++)
            if (seen[page][slot][i] > y0 - 0.5 && seen[page][slot][i] < y0 + 0.5)
                known = 1;
        if (!known) {
            assert_true(n < 24);
            seen[page][slot][n] = y0;
            lines[page][slot]++;
        }
    }
    free(xml);
}

static const receipt_line paid_lines[] = {
    {202504, "1K25TAA", 41, 612345},
    {202505, "1K25TAA", 42, 622222},
};

static receipt_doc sample_receipt(void)
{
    return (receipt_doc){
        .company = "Tổng công ty Điện lực TP Hà Nội",
        .unit = "Công ty Điện lực Ba Đình",
        .receipt_no = "BN2506-PA0101-000042",
        .paid_date = date_from_ymd(2025, 6, 15),
        .paid_minutes = 9 * 60 + 41,
        .cashier = "Trần Thị Mai",
        .shift = "Ca sáng 15/06/2025",
        .customer_code = "PA01010012345",
        .customer_name = "Nguyễn Thị Hương Giang",
        .customer_address = "Số 12 ngõ 34 phố Đội Cấn, phường Đội Cấn, quận Ba Đình, Hà Nội",
        .method = "Tiền mặt",
        .lines = paid_lines,
        .nlines = 2,
        .total_paid = 1300000, /* 1.234.567 for the two invoices, 65.433 left as credit */
        .credit_left = 65433,
        .tendered = 1500000,
    };
}

static void test_receipt_cash(void **state)
{
    (void)state;
    require_tools();
    char path[128];
    snprintf(path, sizeof path, "%s/receipt.pdf", dir);
    receipt_doc r = sample_receipt();
    pc_err e = {0};
    if (receipt_pdf(&r, path, &e) != 0)
        fail_msg("receipt_pdf: %s", e.msg);

    /* One page, 80 mm wide (226.77 pt), as long as its content. */
    int pages;
    double w, h;
    page_info(path, &pages, &w, &h);
    assert_int_equal(pages, 1);
    assert_true(w > 226.5 && w < 227.0);
    assert_true(h > 300 && h < 842);

    char *raw = pdf_text_of(path), *t = squeeze(raw);
    static const char *expected[] = {
        "BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN",
        "Tổng công ty Điện lực TP Hà Nội",
        "Công ty Điện lực Ba Đình",
        "Số: BN2506-PA0101-000042",
        "15/06/2025",
        "09:41",
        "Thu ngân: Trần Thị Mai",
        "Ca thu: Ca sáng 15/06/2025",
        "Nguyễn Thị Hương Giang",
        "Mã khách hàng: PA01010012345",
        "phố Đội Cấn, phường Đội Cấn, quận Ba Đình, Hà Nội",
        "Hình thức thanh toán: Tiền mặt",
        "Hóa đơn được thanh toán",
        "Kỳ 04/2025 612.345 đ",
        "Hóa đơn 1K25TAA số 41",
        "Kỳ 05/2025 622.222 đ",
        "Hóa đơn 1K25TAA số 42",
        "Tổng cộng: 1.300.000 đ",
        "Bằng chữ: Một triệu ba trăm nghìn đồng.",
        "Tiền khách đưa: 1.500.000 đ",
        "Tiền trả lại: 200.000 đ",
        "Số dư chuyển kỳ sau: 65.433 đ",
    };
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        assert_contains(t, expected[i]);
    free(raw);
    free(t);

    char *codes = decode_barcodes(path, "receipt");
    assert_string_equal(codes, "BN2506-PA0101-000042\n");
    free(codes);
}

/* A transfer with nothing left over: no change and no credit lines. */
static void test_receipt_transfer(void **state)
{
    (void)state;
    require_tools();
    char path[128];
    snprintf(path, sizeof path, "%s/receipt2.pdf", dir);
    receipt_doc r = sample_receipt();
    r.receipt_no = "BN2506-PA0101-000043";
    r.method = "Chuyển khoản";
    r.nlines = 1;
    r.total_paid = 612345;
    r.credit_left = 0;
    r.tendered = 0;
    pc_err e = {0};
    if (receipt_pdf(&r, path, &e) != 0)
        fail_msg("receipt_pdf: %s", e.msg);
    char *raw = pdf_text_of(path), *t = squeeze(raw);
    assert_contains(t, "Hình thức thanh toán: Chuyển khoản");
    assert_contains(t, "Bằng chữ: Sáu trăm mười hai nghìn ba trăm bốn mươi lăm đồng.");
    assert_contains(t, "Tổng cộng: 612.345 đ");
    assert_null(strstr(t, "Tiền trả lại"));
    assert_null(strstr(t, "Số dư chuyển"));
    assert_null(strstr(t, "Kỳ 05/2025"));
    free(raw);
    free(t);
    char *codes = decode_barcodes(path, "receipt2");
    assert_string_equal(codes, "BN2506-PA0101-000043\n");
    free(codes);
}

/* A prepaid top-up: no invoices, the prepaid balance after it instead of "carried forward". */
static void test_receipt_prepaid_topup(void **state)
{
    (void)state;
    require_tools();
    char path[128];
    snprintf(path, sizeof path, "%s/receipt3.pdf", dir);
    receipt_doc r = sample_receipt();
    r.receipt_no = "BN2506-PA0101-000044";
    r.nlines = 0;
    r.total_paid = 300000;
    r.credit_left = 300000; /* ignored for a top-up */
    r.tendered = 0;
    r.prepaid = true;
    r.prepaid_balance = -15250;
    pc_err e = {0};
    if (receipt_pdf(&r, path, &e) != 0)
        fail_msg("receipt_pdf: %s", e.msg);
    char *raw = pdf_text_of(path), *t = squeeze(raw);
    assert_contains(t, "Nạp tiền vào tài khoản trả trước");
    assert_contains(t, "Số dư trả trước: -15.250 đ");
    assert_contains(t, "Tổng cộng: 300.000 đ");
    assert_null(strstr(t, "Số dư chuyển"));
    assert_null(strstr(t, "Hóa đơn được thanh toán"));
    free(raw);
    free(t);
}

static void test_receipt_refuses(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.pdf", dir);
    pc_err e = {0};
    receipt_doc r = sample_receipt();
    r.receipt_no = "";
    assert_int_equal(receipt_pdf(&r, path, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    r = sample_receipt();
    r.paid_minutes = 24 * 60;
    assert_int_equal(receipt_pdf(&r, path, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    /* Code 128 has no "Đ": the error names the number instead of printing an unreadable code. */
    r = sample_receipt();
    r.receipt_no = "ĐBN-1";
    assert_int_equal(receipt_pdf(&r, path, &e), -1);
    assert_non_null(strstr(e.msg, "ĐBN-1"));
    r = sample_receipt();
    assert_int_equal(receipt_pdf(&r, "/nonexistent-dir/r.pdf", &e), -1);
    assert_int_equal(e.code, PC_EIO);
}

#define NCARDS 12
static const char *card_names[NCARDS] = {
    "Nguyễn Văn Ấn",     "Trần Thị Bích Ngọc", "Lê Hoàng Đức",     "Phạm Thị Ánh Tuyết",
    "Hoàng Minh Quốc",   "Vũ Thị Hồng Nhung",  "Đặng Quang Huy",   "Bùi Thị Thu Hằng",
    "Đỗ Mạnh Cường",     "Hồ Thị Kiều Oanh",   "Ngô Đình Thắng",   "Dương Thị Mỹ Duyên",
};

static void test_card_sheet(void **state)
{
    (void)state;
    require_tools();
    char path[128], codes_buf[NCARDS][16];
    snprintf(path, sizeof path, "%s/cards.pdf", dir);
    customer_card cards[NCARDS];
    for (int i = 0; i < NCARDS; i++) {
        snprintf(codes_buf[i], sizeof codes_buf[i], "PA0101%07d", 12345 + 1111 * i);
        cards[i] = (customer_card){
            .company = "Công ty Điện lực Ba Đình",
            .customer_code = codes_buf[i],
            .name = card_names[i],
            .address = "Số 5 phố Liễu Giai, phường Cống Vị, quận Ba Đình",
        };
    }
    /* Too long for two lines on a card: it must be cut with "…", not run into the barcode. */
    cards[3].address = "Nhà số 118 ngách 42/15 ngõ 192 đường Lê Trọng Tấn, tổ dân phố số 7, phường Khương Mai, "
                       "quận Thanh Xuân, thành phố Hà Nội, gần chợ Khương Đình và trường tiểu học Khương Mai";
    pc_err e = {0};
    if (card_sheet_pdf(cards, NCARDS, path, &e) != 0)
        fail_msg("card_sheet_pdf: %s", e.msg);

    int pages;
    double w, h;
    page_info(path, &pages, &w, &h);
    assert_int_equal(pages, 2); /* 10 cards, then 2 */
    assert_true(w > 595.0 && w < 595.5);
    assert_true(h > 841.5 && h < 842.2);

    char *raw = pdf_text_of(path), *t = squeeze(raw);
    assert_int_equal(count_of(raw, "\f"), 2);
    assert_int_equal(count_of(t, "THẺ KHÁCH HÀNG"), NCARDS);
    assert_int_equal(count_of(t, "Công ty Điện lực Ba Đình"), NCARDS);
    for (int i = 0; i < NCARDS; i++) {
        assert_contains(t, card_names[i]);
        assert_contains(t, codes_buf[i]);
    }
    assert_contains(t, "Nhà số 118 ngách 42/15");
    free(raw);
    free(t);

    /* Same number of text lines on every card (company, title, name, two lines of address, code):
     * the long address was cut, not wrapped over the barcode. Slots after the 12th are empty. */
    int lines_of[MAX_PAGES][CARDS_PER_SHEET];
    card_text_lines(path, lines_of);
    for (int i = 0; i < NCARDS; i++) {
        int n = lines_of[i / CARDS_PER_SHEET][i % CARDS_PER_SHEET];
        if (n != 6)
            fail_msg("card %d has %d lines of text, expected 6", i + 1, n);
    }
    assert_int_equal(lines_of[1][NCARDS - CARDS_PER_SHEET], 0);

    /* Every card's code decodes exactly once, and nothing else does. */
    char *codes = decode_barcodes(path, "cards");
    int found[NCARDS] = {0}, lines = 0;
    for (char *line = strtok(codes, "\n"); line; line = strtok(NULL, "\n")) {
        lines++;
        int match = -1;
        for (int i = 0; i < NCARDS; i++)
            if (strcmp(line, codes_buf[i]) == 0)
                match = i;
        if (match < 0)
            fail_msg("zbarimg decoded an unexpected code '%s'", line);
        found[match]++;
    }
    free(codes);
    assert_int_equal(lines, NCARDS);
    for (int i = 0; i < NCARDS; i++)
        if (found[i] != 1)
            fail_msg("customer code %s decoded %d times", codes_buf[i], found[i]);
}

static void test_card_sheet_refuses(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/bad-cards.pdf", dir);
    pc_err e = {0};
    assert_int_equal(card_sheet_pdf(NULL, 0, path, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    customer_card cards[2] = {{.customer_code = "PA01010000001", .name = "A"}, {.customer_code = "", .name = "B"}};
    assert_int_equal(card_sheet_pdf(cards, 2, path, &e), -1);
    assert_non_null(strstr(e.msg, "card 2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_cash),      cmocka_unit_test(test_receipt_transfer),
        cmocka_unit_test(test_receipt_prepaid_topup), cmocka_unit_test(test_receipt_refuses),
        cmocka_unit_test(test_card_sheet),
        cmocka_unit_test(test_card_sheet_refuses),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
