/* The CSV reader (formats/csv_reader) on real temporary files: header and rows, BOM, CRLF, quoted
 * commas/quotes/newlines, the physical line of every record and of every error, early stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/csv_reader.h"

#define MAX_REC 16
#define MAX_FIELDS 8

/* Every record the reader reported, copied out of the callback. */
typedef struct {
    int records;
    long line[MAX_REC], record[MAX_REC];
    size_t nfields[MAX_REC];
    char field[MAX_REC][MAX_FIELDS][96];
    int stop_after; /* the callback fails on this record (1-based), 0 never */
} seen;

static int collect(void *ctx, const csv_record *r, pc_err *e)
{
    seen *s = ctx;
    int i = s->records++;
    if (i < MAX_REC) {
        s->line[i] = r->line;
        s->record[i] = r->record;
        s->nfields[i] = r->nfields;
        for (size_t k = 0; k < r->nfields && k < MAX_FIELDS; k++)
            snprintf(s->field[i][k], sizeof s->field[i][k], "%s", r->fields[k]);
    }
    if (s->stop_after && s->records == s->stop_after)
        return pc_errf(e, PC_EINVAL, "line %ld: stopped by the callback", r->line);
    return 0;
}

/* Writes text to a new file under /tmp and reads it; the file is removed afterwards. */
static int read_text(const char *text, size_t n, seen *s, pc_err *e)
{
    char path[] = "/tmp/powercis-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    int rc = csv_read_file(path, collect, s, e);
    unlink(path);
    return rc;
}
#define READ(lit, s, e) read_text((lit), sizeof(lit) - 1, (s), (e))

static void test_header_and_rows(void **state)
{
    (void)state;
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(READ("customer_code,name,kwh\nPA01010000001,Nguyễn Văn A,120\nPA01010000002,Trần Thị B,0\n", &s, &e), 0);
    assert_int_equal(s.records, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s.record[i], i); /* the header is record 0 */
        assert_int_equal(s.line[i], i + 1);
        assert_int_equal(s.nfields[i], 3);
    }
    assert_string_equal(s.field[0][0], "customer_code");
    assert_string_equal(s.field[1][1], "Nguyễn Văn A");
    assert_string_equal(s.field[2][2], "0");
}

static void test_bom_skipped(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("\xef\xbb\xbf" "customer_code,name\nPA01010000001,A\n", &s, NULL), 0);
    assert_int_equal(s.records, 2);
    assert_string_equal(s.field[0][0], "customer_code"); /* no BOM bytes in the first name */
    assert_int_equal(s.line[1], 2);
    /* a BOM anywhere else is data, not skipped */
    memset(&s, 0, sizeof s);
    assert_int_equal(READ("a\n\xef\xbb\xbfx\n", &s, NULL), 0);
    assert_string_equal(s.field[1][0], "\xef\xbb\xbfx");
}

static void test_crlf(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("a,b\r\n1,2\r\n3,4\r\n", &s, NULL), 0);
    assert_int_equal(s.records, 3);
    assert_string_equal(s.field[0][1], "b"); /* no '\r' left on the last field */
    assert_string_equal(s.field[1][1], "2");
    assert_string_equal(s.field[2][1], "4");
    assert_int_equal(s.line[2], 3);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("a,b\n1,2", &s, NULL), 0);
    assert_int_equal(s.records, 2);
    assert_string_equal(s.field[1][1], "2");
    assert_int_equal(s.line[1], 2);
}

static void test_quoted_fields_and_lines(void **state)
{
    (void)state;
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(READ("\xef\xbb\xbf"
                          "a,b\r\n"                                    /* line 1 */
                          "1,\"x, y\"\r\n"                             /* line 2 */
                          "\r\n"                                       /* line 3: empty */
                          "2,\"she said \"\"hi\"\"\nand left\"\n"      /* lines 4-5 */
                          "3,last\n"                                   /* line 6 */
                          "\n\n"                                       /* lines 7-8 */
                          "4,\"\"\n",                                  /* line 9: an empty quoted field */
                          &s, &e),
                     0);
    assert_int_equal(s.records, 5);
    assert_int_equal(s.line[0], 1);
    assert_int_equal(s.line[1], 2);
    assert_string_equal(s.field[1][1], "x, y");
    assert_int_equal(s.line[2], 4); /* after an empty line */
    assert_string_equal(s.field[2][1], "she said \"hi\"\nand left");
    assert_int_equal(s.line[3], 6); /* the record after a two-line field */
    assert_string_equal(s.field[3][1], "last");
    assert_int_equal(s.line[4], 9);
    assert_int_equal(s.nfields[4], 2);
    assert_string_equal(s.field[4][1], "");
    assert_int_equal(s.record[4], 4); /* empty lines are not records */
}

/* A multi-line quoted field in the middle and at the end of a record. */
static void test_multiline_field_then_more(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("code,address,phone\n"                 /* 1 */
                          "A,\"Số 5\nngõ 10\nphố Huế\",0912\n"  /* 2-4 */
                          "B,\"x\",\"1\n2\"\n"                  /* 5-6 */
                          "C,y,z\n",                             /* 7 */
                          &s, NULL),
                     0);
    assert_int_equal(s.records, 4);
    assert_int_equal(s.line[1], 2);
    assert_string_equal(s.field[1][1], "Số 5\nngõ 10\nphố Huế");
    assert_string_equal(s.field[1][2], "0912");
    assert_int_equal(s.line[2], 5);
    assert_string_equal(s.field[2][2], "1\n2");
    assert_int_equal(s.line[3], 7);
}

/* BUG (csv_reader.c, on_field: `r->start_line = r->cur_line` runs when the first FIELD of a
 * record completes, not when the record starts): when the first field is quoted and spans
 * lines, the record is reported on the line where that field ends. Here record 1 starts on line
 * 2 but is reported as line 4, so an import error would point at the wrong line. */
static void test_bug_record_starting_with_multiline_field(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("address,code\n"          /* 1 */
                          "\"Số 5\nngõ 10\nHuế\",A\n" /* 2-4 */
                          "x,B\n",                  /* 5 */
                          &s, NULL),
                     0);
    assert_int_equal(s.records, 3);
    assert_string_equal(s.field[1][0], "Số 5\nngõ 10\nHuế");
    assert_int_equal(s.line[1], 2);
    assert_int_equal(s.line[2], 5);
}

static void test_leading_empty_lines(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("\n\r\na,b\n\n1,2\n", &s, NULL), 0);
    assert_int_equal(s.records, 2);
    assert_int_equal(s.record[0], 0);
    assert_string_equal(s.field[0][0], "a");
    assert_int_equal(s.line[0], 3);
    assert_int_equal(s.line[1], 5);
}

static void test_ragged_rows_are_reported_as_they_are(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("a,b,c\n1\n1,2,3,4\n,,\n", &s, NULL), 0);
    assert_int_equal(s.records, 4);
    assert_int_equal(s.nfields[1], 1);
    assert_int_equal(s.nfields[2], 4);
    assert_int_equal(s.nfields[3], 3);
    assert_string_equal(s.field[3][0], "");
}

/* libcsv's default: spaces around an unquoted field are dropped, a quoted field keeps them. */
static void test_spaces_around_fields(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(READ("a,b,c\n  Hà Nội  ,\"  y  \", 0912 345 678 \n", &s, NULL), 0);
    assert_int_equal(s.records, 2);
    assert_string_equal(s.field[1][0], "Hà Nội");
    assert_string_equal(s.field[1][1], "  y  ");
    assert_string_equal(s.field[1][2], "0912 345 678");
}

static void test_malformed_quoting(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *line; /* "line N" the message must hold */
    } cases[] = {
        {"a,b\n1,2\n3,\"x\"y\n", "line 3"},   /* text after a closing quote */
        {"a,b\n\"x\"y,1\n", "line 2"},        /* the same in the first field */
        {"a,b\n1,2\n3,x\"y\"\n", "line 3"},   /* a quote inside an unquoted field */
        {"a,b\n1,\"ok\nstill\"z\n", "line 2"}, /* a record that started on line 2 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        seen s = {0};
        pc_err e = {0};
        assert_int_equal(read_text(cases[i].text, strlen(cases[i].text), &s, &e), -1);
        assert_int_equal(e.code, PC_EINVAL);
        if (!strstr(e.msg, cases[i].line))
            fail_msg("case %zu: '%s' does not say %s", i, e.msg, cases[i].line);
    }
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(READ("a,b\n1,2\n3,\"never closed\n4,5\n", &s, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    assert_non_null(strstr(e.msg, "line 3"));
    assert_non_null(strstr(e.msg, "unterminated"));
    assert_int_equal(s.records, 2); /* the rows before it were read */
}

/* BUG (csv_reader.c, csv_read_file: the csv_fini error uses r.start_line, which still holds the
 * PREVIOUS record's line when the open quote is in the first field): "line 1" is reported for an
 * unterminated quote that opens on line 2. */
static void test_bug_unterminated_quote_in_first_field(void **state)
{
    (void)state;
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(READ("a,b\n\"never closed,1\n2,3\n", &s, &e), -1);
    if (!strstr(e.msg, "line 2"))
        fail_msg("'%s' does not say line 2", e.msg);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(READ("a,b\n1,ok\n2,L\xea V\xe3n\n3,ok\n", &s, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    assert_non_null(strstr(e.msg, "line 3"));
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_int_equal(s.records, 2); /* the bad row never reaches the callback, nor what follows */

    memset(&s, 0, sizeof s);
    assert_int_equal(READ("a\xff,b\n", &s, &e), -1); /* in the header */
    assert_non_null(strstr(e.msg, "line 1"));
    assert_int_equal(s.records, 0);

    memset(&s, 0, sizeof s);
    assert_int_equal(READ("a,b\n1,\"ok\n\xc3\"\n", &s, &e), -1); /* inside a multi-line field */
    assert_non_null(strstr(e.msg, "line 2"));
}

static void test_callback_stops_reading(void **state)
{
    (void)state;
    seen s = {.stop_after = 2};
    pc_err e = {0};
    assert_int_equal(READ("a\n1\n2\n3\n", &s, &e), -1);
    assert_int_equal(s.records, 2);
    assert_string_equal(e.msg, "line 2: stopped by the callback"); /* the callback's own error */
    assert_int_equal(e.code, PC_EINVAL);

    /* stopping on the last record, with no newline after it */
    memset(&s, 0, sizeof s);
    s.stop_after = 3;
    assert_int_equal(READ("a\n1\n2", &s, &e), -1);
    assert_int_equal(s.records, 3);
}

static void test_long_line_refused(void **state)
{
    (void)state;
    size_t n = CSV_MAX_LINE + 10;
    char *text = malloc(n + 8);
    assert_non_null(text);
    memcpy(text, "a\n", 2);
    memset(text + 2, 'x', n);
    text[n + 2] = '\n';
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(read_text(text, n + 3, &s, &e), -1);
    free(text);
    assert_non_null(strstr(e.msg, "line 2"));
    assert_non_null(strstr(e.msg, "longer than"));
    assert_int_equal(s.records, 1);
}

static void test_missing_file(void **state)
{
    (void)state;
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(csv_read_file("/nonexistent-dir/x.csv", collect, &s, &e), -1);
    assert_int_equal(e.code, PC_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent-dir/x.csv"));
    assert_int_equal(s.records, 0);
}

static void test_empty_file(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(read_text("", 0, &s, NULL), 0);
    assert_int_equal(s.records, 0);
    assert_int_equal(READ("\xef\xbb\xbf", &s, NULL), 0);
    assert_int_equal(s.records, 0);
}

static void test_csv_column(void **state)
{
    (void)state;
    const char *const names[] = {"customer_code", "name", "phone", ""};
    csv_record header = {names, 4, 1, 0};
    assert_int_equal(csv_column(&header, "customer_code"), 0);
    assert_int_equal(csv_column(&header, "name"), 1);
    assert_int_equal(csv_column(&header, "phone"), 2);
    assert_int_equal(csv_column(&header, ""), 3);
    assert_int_equal(csv_column(&header, "address"), -1);
    assert_int_equal(csv_column(&header, "Name"), -1); /* exact names only */
    assert_int_equal(csv_column(&header, "nam"), -1);
    csv_record none = {names, 0, 1, 0};
    assert_int_equal(csv_column(&none, "name"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_and_rows),
        cmocka_unit_test(test_bom_skipped),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_quoted_fields_and_lines),
        cmocka_unit_test(test_multiline_field_then_more),
        cmocka_unit_test(test_bug_record_starting_with_multiline_field),
        cmocka_unit_test(test_leading_empty_lines),
        cmocka_unit_test(test_ragged_rows_are_reported_as_they_are),
        cmocka_unit_test(test_spaces_around_fields),
        cmocka_unit_test(test_malformed_quoting),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_bug_unterminated_quote_in_first_field),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_callback_stops_reading),
        cmocka_unit_test(test_long_line_refused),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_csv_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
