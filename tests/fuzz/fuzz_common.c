/* Shared by the libFuzzer targets (fuzz_common.h). */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/customers.h"
#include "app/org.h"
#include "app/payments.h"
#include "base/buf.h"

static char scratch[64];

const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (!scratch[0]) {
        snprintf(scratch, sizeof scratch, "/tmp/pc-fuzz-XXXXXX");
        int fd = mkstemp(scratch);
        if (fd < 0)
            fuzz_fail("scratch file", "mkstemp failed");
        close(fd);
    }
    FILE *f = fopen(scratch, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fuzz_fail("scratch file", "write failed");
    return scratch;
}

static void remove_scratch(void)
{
    if (scratch[0])
        unlink(scratch);
}

const char *fuzz_text(const uint8_t *data, size_t size)
{
    static buf b;
    buf_reset(&b);
    buf_append(&b, (const char *)data, size);
    buf_puts(&b, ""); /* a NUL after the bytes, even for an empty input */
    return b.data ? b.data : "";
}

void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "FINDING: %s: %s\n", what, detail ? detail : "");
    abort();
}

void fuzz_expect_refusal(const pc_err *e, const char *what)
{
    if (e->code != PC_EINVAL && e->code != PC_ENOTFOUND && e->code != PC_ECONFLICT && e->code != PC_EFORBIDDEN)
        fuzz_fail(what, e->msg);
}

static const char customers_csv[] =
    "unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter,valid_from\n"
    "PA0101,PA01010000101,Nguyễn Văn Đức,\"Số 12, phố Quang Trung\",residential,,1,0912345678,0,,0,PA0101-001,"
    "PA0000000101,2024-01-01\n"
    "PA0101,PA01010000102,Nguyễn Văn Đức,\"Xóm 3, xã Hồng Phong\",residential,,2,0987654321,0,,0,PA0101-002,"
    "PA0000000102,2024-01-01\n"
    "PA0102,PA01020000104,Công ty TNHH Minh Anh,\"KCN Bảo Minh\",business,<6kV,1,02283000111,0,,1,PA0102-001,"
    "PA0000000104,2024-01-01\n";

db *fuzz_db(void)
{
    static db *d;
    if (d)
        return d;
    pc_err e = {0};
    org_row o;
    import_report rep = {0};
    if (db_open(":memory:", &d, &e) != 0 || org_add(d, "fuzz", "PA", "Tổng công ty", NULL, &o, &e) != 0 ||
        org_add(d, "fuzz", "PA01", "Công ty Điện lực Nam Định", NULL, &o, &e) != 0 ||
        org_add(d, "fuzz", "PA0101", "Điện lực Vụ Bản", NULL, &o, &e) != 0 ||
        org_add(d, "fuzz", "PA0102", "Điện lực Ý Yên", NULL, &o, &e) != 0 ||
        customer_import(d, "fuzz", fuzz_file((const uint8_t *)customers_csv, strlen(customers_csv)), &rep, &e) != 0 ||
        partner_add(d, "fuzz", "ECPAY", "Ví ECPAY", "wallet", 1, &e) != 0 ||
        partner_add(d, "fuzz", "VNPOST", "Bưu điện", "post", 1, &e) != 0)
        fuzz_fail("the fixture", e.msg);
    import_report_free(&rep);
    atexit(remove_scratch);
    return d;
}

int64_t fuzz_rows(db *d)
{
    static char *query;
    pc_err e = {0};
    if (!query) {
        buf q = {0};
        buf_puts(&q, "SELECT 0");
        db_stmt *s = db_prepare(d, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", &e);
        if (!s)
            fuzz_fail("fuzz_rows", e.msg);
        int rc;
        while ((rc = db_step(s, &e)) == 1)
            buf_printf(&q, " + (SELECT count(*) FROM \"%s\")", db_col_text(s, 0));
        db_reset(s);
        if (rc < 0)
            fuzz_fail("fuzz_rows", e.msg);
        query = q.data;
    }
    db_stmt *s = db_prepare(d, query, &e);
    if (!s || db_step(s, &e) != 1)
        fuzz_fail("fuzz_rows", e.msg);
    int64_t n = db_col_int(s, 0);
    db_reset(s);
    return n;
}
