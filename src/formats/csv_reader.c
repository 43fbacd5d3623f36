/* CSV reader over libcsv (see csv_reader.h). The file is fed to libcsv one physical line at a
 * time, which is what lets each record know the line it starts on. */
#include "formats/csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"

typedef struct {
    char *arena; /* field texts, each NUL-terminated */
    size_t arena_len, arena_cap;
    size_t *offsets;
    const char **fields;
    size_t nfields, fields_cap;
    long start_line, cur_line, record;
    long next_start; /* the line the record in progress began on */
    int in_record;
    int bad_utf8;
    csv_record_fn fn;
    void *ctx;
    pc_err *e;
    int stopped;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stopped)
        return;
    if (!r->in_record) {
        r->in_record = 1;
        r->start_line = r->next_start;
    }
    if (r->arena_len + len + 1 > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap : 1024;
        while (cap < r->arena_len + len + 1)
            cap *= 2;
        r->arena = realloc(r->arena, cap);
        if (!r->arena)
            abort();
        r->arena_cap = cap;
    }
    if (r->nfields == r->fields_cap) {
        r->fields_cap = r->fields_cap ? r->fields_cap * 2 : 16;
        r->offsets = realloc(r->offsets, r->fields_cap * sizeof *r->offsets);
        r->fields = realloc(r->fields, r->fields_cap * sizeof *r->fields);
        if (!r->offsets || !r->fields)
            abort();
    }
    if (len)
        memcpy(r->arena + r->arena_len, s, len);
    r->arena[r->arena_len + len] = '\0';
    if (!text_is_utf8(r->arena + r->arena_len, len))
        r->bad_utf8 = 1;
    r->offsets[r->nfields++] = r->arena_len;
    r->arena_len += len + 1;
}

static void on_record(int c, void *data)
{
    reader *r = data;
    (void)c;
    if (r->stopped)
        return;
    if (!r->in_record) /* libcsv reports a lone terminator for an empty line at fini */
        return;
    if (r->bad_utf8) {
        pc_errf(r->e, PC_EINVAL, "line %ld: text is not valid UTF-8 (save the file as UTF-8)", r->start_line);
        r->stopped = 1;
        return;
    }
    for (size_t i = 0; i < r->nfields; i++)
        r->fields[i] = r->arena + r->offsets[i];
    csv_record rec = {r->fields, r->nfields, r->start_line, r->record};
    if (r->fn(r->ctx, &rec, r->e) != 0)
        r->stopped = 1;
    r->record++;
    r->nfields = 0;
    r->arena_len = 0;
    r->in_record = 0;
    r->bad_utf8 = 0;
}

int csv_read_file(const char *path, csv_record_fn fn, void *ctx, pc_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pc_errf(e, PC_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        return pc_errf(e, PC_EINTERNAL, "cannot start the CSV parser");
    }
    reader r = {.fn = fn, .ctx = ctx, .e = e};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    while (!r.stopped && (n = getline(&line, &cap, f)) > 0) {
        r.cur_line++;
        char *s = line;
        if (r.cur_line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        /* Between records (libcsv's state 0, "row not begun") a line that is not blank starts the
         * next record, even when its first field is quoted over several lines. */
        if (p.pstate == 0 && s[strspn(s, " \t\r\n")] != '\0')
            r.next_start = r.cur_line;
        if ((size_t)n > CSV_MAX_LINE) {
            pc_errf(e, PC_EINVAL, "line %ld: longer than %u bytes", r.cur_line, CSV_MAX_LINE);
            status = -1;
            break;
        }
        if (csv_parse(&p, s, (size_t)n, on_field, on_record, &r) != (size_t)n) {
            pc_errf(e, PC_EINVAL, "line %ld: %s (a quote inside a field must be doubled)", r.next_start,
                    csv_strerror(csv_error(&p)));
            status = -1;
            break;
        }
    }
    if (status == 0 && !r.stopped && ferror(f)) {
        pc_errf(e, PC_EIO, "cannot read '%s': %s", path, strerror(errno));
        status = -1;
    }
    if (status == 0 && !r.stopped && csv_fini(&p, on_field, on_record, &r) != 0) {
        pc_errf(e, PC_EINVAL, "line %ld: unterminated quoted field at the end of the file", r.next_start);
        status = -1;
    }
    if (r.stopped)
        status = -1;
    csv_free(&p);
    free(line);
    free(r.arena);
    free(r.offsets);
    free(r.fields);
    fclose(f);
    return status;
}

int csv_column(const csv_record *header, const char *name)
{
    for (size_t i = 0; i < header->nfields; i++)
        if (strcmp(header->fields[i], name) == 0)
            return (int)i;
    return -1;
}

int csv_write_record(FILE *f, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i && fputc(',', f) == EOF)
            return -1;
        const char *v = fields[i] ? fields[i] : "";
        if (csv_fwrite(f, v, strlen(v)) != 0)
            return -1;
    }
    return fputc('\n', f) == EOF ? -1 : 0;
}
