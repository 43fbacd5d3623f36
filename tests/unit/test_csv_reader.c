/* The CSV reader: BOM, CRLF, quoting with commas, quotes and line breaks, physical line numbers
 * in errors, invalid UTF-8. */
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

static char path[64];

static void write_file(const char *text, size_t n)
{
    strcpy(path, "/tmp/powercis-csv-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

typedef struct {
    int records;
    long lines[16];
    char first[16][64];
    size_t nfields[16];
    int stop_at;
} seen;

static int on_record(void *ctx, const csv_record *r, pc_err *e)
{
    seen *s = ctx;
    if (s->records < 16) {
        s->lines[s->records] = r->line;
        s->nfields[s->records] = r->nfields;
        snprintf(s->first[s->records], sizeof s->first[0], "%s", r->nfields ? r->fields[r->nfields - 1] : "");
    }
    s->records++;
    if (s->stop_at && s->records == s->stop_at)
        return pc_errf(e, PC_EINVAL, "stopped");
    return 0;
}

static void test_quoting_and_lines(void **state)
{
    (void)state;
    const char text[] = "\xef\xbb\xbf"
                        "a,b\r\n"
                        "1,\"x, y\"\r\n"
                        "\r\n"
                        "2,\"she said \"\"hi\"\"\nand left\"\n"
                        "3,last\n";
    write_file(text, sizeof text - 1);
    seen s = {0};
    pc_err e = {0};
    assert_int_equal(csv_read_file(path, on_record, &s, &e), 0);
    assert_int_equal(s.records, 4);
    assert_int_equal(s.lines[0], 1);
    assert_int_equal(s.lines[1], 2);
    assert_string_equal(s.first[1], "x, y");
    assert_int_equal(s.lines[2], 4); /* after an empty line */
    assert_string_equal(s.first[2], "she said \"hi\"\nand left");
    assert_int_equal(s.lines[3], 6); /* the record after a two-line field */
    assert_string_equal(s.first[3], "last");
    unlink(path);
}

static void test_bom_header(void **state)
{
    (void)state;
    const char text[] = "\xef\xbb\xbf" "customer_code,name\nPA01010000001,A\n";
    write_file(text, sizeof text - 1);
    seen s = {0};
    assert_int_equal(csv_read_file(path, on_record, &s, NULL), 0);
    assert_int_equal(s.nfields[0], 2);
    unlink(path);
    csv_record header = {(const char *const[]){"customer_code", "name"}, 2, 1, 0};
    assert_int_equal(csv_column(&header, "name"), 1);
    assert_int_equal(csv_column(&header, "phone"), -1);
}

static void test_errors(void **state)
{
    (void)state;
    pc_err e = {0};
    seen s = {0};
    const char bad_quote[] = "a,b\n1,2\n3,\"x\"y\n";
    write_file(bad_quote, sizeof bad_quote - 1);
    assert_int_equal(csv_read_file(path, on_record, &s, &e), -1);
    assert_non_null(strstr(e.msg, "line 3"));
    unlink(path);

    const char latin[] = "a,b\n1,L\xea V\xe3n\n";
    write_file(latin, sizeof latin - 1);
    memset(&s, 0, sizeof s);
    assert_int_equal(csv_read_file(path, on_record, &s, &e), -1);
    assert_non_null(strstr(e.msg, "line 2"));
    assert_non_null(strstr(e.msg, "UTF-8"));
    unlink(path);

    const char open_quote[] = "a,b\n1,\"never closed\n";
    write_file(open_quote, sizeof open_quote - 1);
    memset(&s, 0, sizeof s);
    assert_int_equal(csv_read_file(path, on_record, &s, &e), -1);
    assert_non_null(strstr(e.msg, "line 2"));
    unlink(path);

    const char three[] = "a\n1\n2\n3\n";
    write_file(three, sizeof three - 1);
    memset(&s, 0, sizeof s);
    s.stop_at = 2;
    assert_int_equal(csv_read_file(path, on_record, &s, &e), -1);
    assert_int_equal(s.records, 2);
    assert_string_equal(e.msg, "stopped");
    unlink(path);

    assert_int_equal(csv_read_file("/nonexistent/x.csv", on_record, &s, &e), -1);
    assert_int_equal(e.code, PC_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_and_lines),
        cmocka_unit_test(test_bom_header),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
