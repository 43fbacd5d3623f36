/* powercis doc add|list|get|remove: documents of a customer's debt (scanned invoices, minutes,
 * records), stored by content hash (DOMAIN 9, docs/cases.md). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cases.h"
#include "cli/cli.h"

static const char doc_usage[] =
    "usage: powercis doc add CUSTOMER FILE --kind invoice|minutes|record|court|other [--title TEXT]\n"
    "                        [--date YYYY-MM-DD] [--json]\n"
    "       powercis doc list CUSTOMER [--all] [--json]\n"
    "       powercis doc get ID [--out FILE]\n"
    "       powercis doc remove ID --reason TEXT [--json]\n\n"
    "add: attaches a PDF, JPEG or PNG file to the customer's debt (its type is told by its content,\n"
    "not its name; [documents] max_bytes limits its size, 10 MiB by default). The bytes are kept once\n"
    "per content under the document folder, named by their SHA-256. --date (default today) dates the\n"
    "document: a date in a locked period is refused. list: the customer's documents (--all: removed\n"
    "ones too). get: writes the bytes, checked against their SHA-256, to FILE or standard output.\n"
    "remove: takes a document off the debt (dated today; the bytes and the row stay).\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

/* The document store of this database: the same target cli_open_db opens (--db, $POWERCIS_DB,
 * var/powercis.db), resolved by the configuration. */
static int store_of(const pc_config *cfg, char dir[1024], doc_store *st)
{
    pc_err e = {0};
    if (config_documents_dir(cfg, cli_db_target(), dir, 1024, &e) != 0)
        return cli_fail(&e);
    st->dir = dir;
    st->max_bytes = cfg->documents.max_bytes;
    return 0;
}

static int add_cmd(int argc, char **argv)
{
    doc_meta m = {0};
    bool json = false;
    const char *pos[2];
    int npos;
    cli_opt opts[] = {{"--kind", &m.kind, NULL, NULL, NULL, 0},
                      {"--title", &m.title, NULL, NULL, NULL, 0},
                      {"--date", &m.date, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("doc add", argc, argv, 1, opts, pos, 2, &npos) != 0)
        return 2;
    if (npos != 2)
        return cli_usage_error("doc add", "expected the customer code and the file");
    if (!m.kind)
        return cli_usage_error("doc add", "--kind is required (invoice, minutes, record, court or other)");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    char dir[1024];
    doc_store st;
    if (store_of(cfg, dir, &st) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    document_row r;
    bool stored_new;
    int rc = doc_add_file(d, cli_actor, &st, pos[0], pos[1], &m, cfg->utc_offset_minutes, &r, &stored_new, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        json_t *o = document_json(&r);
        json_object_set_new(o, "stored_new", json_boolean(stored_new));
        print_json(o);
    } else {
        printf("document %lld added to %s: %s, %lld bytes, sha256 %s%s\n", (long long)r.id, r.customer_code,
               r.media_type, (long long)r.size, r.sha256, stored_new ? "" : " (content stored already)");
    }
    return 0;
}

typedef struct {
    bool json;
    json_t *list;
} list_ctx;

static int list_doc(void *ctx, const document_row *r)
{
    list_ctx *x = ctx;
    if (x->json)
        json_array_append_new(x->list, document_json(r));
    else
        printf("%-5lld %-10s %-8s %-16s %10lld  %.12s  %s%s\n", (long long)r->id, r->doc_date, r->kind, r->media_type,
               (long long)r->size, r->sha256, r->title, r->removed ? "  (removed)" : "");
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    bool json = false, all = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--all", NULL, &all, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("doc list", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("doc list", "expected the customer code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx x = {json, json ? json_array() : NULL};
    if (!json)
        printf("%-5s %-10s %-8s %-16s %10s  %-12s  %s\n", "id", "date", "kind", "type", "bytes", "sha256", "title");
    int rc = doc_list(d, pos[0], all, list_doc, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.list);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.list);
    return 0;
}

static int get_cmd(int argc, char **argv)
{
    const char *out = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--out", &out, NULL, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("doc get", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("doc get", "expected the document's id");
    int64_t id;
    if (cli_parse_int("document id", pos[0], 1, INT64_MAX, &id) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    char dir[1024];
    doc_store st;
    if (store_of(cfg, dir, &st) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    document_row r;
    unsigned char *bytes;
    size_t len;
    int rc = doc_read(d, &st, id, &r, &bytes, &len, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "powercis: --out: cannot create '%s': %s\n", out, strerror(errno));
        free(bytes);
        return 1;
    }
    bool ok = fwrite(bytes, 1, len, f) == len;
    ok = (out ? fclose(f) : fflush(f)) == 0 && ok;
    free(bytes);
    if (!ok) {
        fprintf(stderr, "powercis: cannot write document %lld to %s: %s\n", (long long)id, out ? out : "standard output",
                strerror(errno));
        return 1;
    }
    if (r.removed)
        fprintf(stderr, "powercis: note: document %lld was removed on %s (%s)\n", (long long)id, r.removed_at,
                r.removal_reason);
    if (out)
        fprintf(stderr, "document %lld (%s, %zu bytes) written to %s\n", (long long)id, r.media_type, len, out);
    return 0;
}

static int remove_cmd(int argc, char **argv)
{
    const char *reason = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("doc remove", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("doc remove", "expected the document's id");
    if (!reason || !reason[0])
        return cli_usage_error("doc remove", "--reason is required");
    int64_t id;
    if (cli_parse_int("document id", pos[0], 1, INT64_MAX, &id) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    document_row r;
    int rc = doc_remove(d, cli_actor, id, reason, cfg->utc_offset_minutes, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(document_json(&r));
    else
        printf("document %lld of %s removed: %s\n", (long long)r.id, r.customer_code, r.removal_reason);
    return 0;
}

int cmd_doc(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(doc_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "add") == 0)
        return add_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "get") == 0)
        return get_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "remove") == 0)
        return remove_cmd(argc - 1, argv + 1);
    return cli_usage_error("doc", "unknown subcommand '%s'", argv[1]);
}
