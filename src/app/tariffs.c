/* Tariffs in force (see tariffs.h). */
#include "app/tariffs.h"
#include "app/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "formats/tariff_json.h"
#include "store/repo.h"
#include "store/tariffs_store.h"

typedef struct {
    tariff_set *t;
    pc_err *e;
    char sha[TARIFF_FILES][65]; /* of the files in force in the database, by tariff_file_names order */
} apply_ctx;

static int apply_file(void *ctx, const char *name, const char *sha256, const char *content, const char *loaded_at)
{
    apply_ctx *x = ctx;
    (void)loaded_at;
    for (int i = 0; i < TARIFF_FILES; i++)
        if (strcmp(name, tariff_file_names[i]) == 0)
            snprintf(x->sha[i], sizeof x->sha[i], "%s", sha256);
    if (tariff_load_text(x->t, name, content, x->e) != 0)
        return pc_err_prefix(x->e, "tariff loaded in the database");
    return 0;
}

static int in_force(db *d, tariff_set *t, apply_ctx *x, pc_err *e)
{
    if (tariff_load_shipped(t, e) != 0)
        return -1;
    x->t = t;
    x->e = e;
    if (tariff_files_current(d, apply_file, x, e) != 0)
        return -1;
    return tariff_validate(t, e);
}

int tariffs_in_force(db *d, tariff_set *t, pc_err *e)
{
    apply_ctx x;
    memset(&x, 0, sizeof x);
    return in_force(d, t, &x, e);
}

int tariffs_load(db *d, const char *actor, const char *dir, tariff_load_report *rep, pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    static tariff_set t;
    apply_ctx x;
    memset(&x, 0, sizeof x);
    buf text[TARIFF_FILES] = {{0}};
    char sha[TARIFF_FILES][65];
    int present[TARIFF_FILES] = {0}, rc = -1;
    if (in_force(d, &t, &x, e) != 0)
        return -1;
    for (int i = 0; i < TARIFF_FILES; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, tariff_file_names[i]);
        if (buf_read_file(&text[i], path, 4u << 20, e) != 0) {
            if (e->code == PC_ENOTFOUND)
                continue;
            goto out;
        }
        present[i] = 1;
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)text[i].data, text[i].len);
        sodium_bin2hex(sha[i], sizeof sha[i], digest, sizeof digest);
        if (tariff_load_text(&t, tariff_file_names[i], text[i].data, e) != 0) {
            pc_err_prefix(e, "%s", dir);
            goto out;
        }
    }
    if (!present[0] && !present[1] && !present[2] && !present[3]) {
        pc_errf(e, PC_EINVAL, "'%s' has none of residential.json, nonresidential.json, vat.json, solar.json", dir);
        goto out;
    }
    if (tariff_validate(&t, e) != 0) {
        pc_err_prefix(e, "%s", dir);
        goto out;
    }
    if (db_begin(d, e) != 0)
        goto out;
    for (int i = 0; i < TARIFF_FILES; i++) {
        if (!present[i])
            continue;
        if (strcmp(sha[i], x.sha[i]) == 0) {
            rep->unchanged++;
            continue;
        }
        if (tariff_file_add(d, tariff_file_names[i], sha[i], text[i].data, actor, e) != 0) {
            db_rollback(d);
            goto out;
        }
        json_t *detail = json_pack("{s:s, s:s, s:s}", "file", tariff_file_names[i], "sha256", sha[i], "from", dir);
        int arc = audit_event(d, actor, "tariff.load", "tariff_file", tariff_file_names[i], detail, e);
        if (arc != 0) {
            db_rollback(d);
            goto out;
        }
        snprintf(rep->names[rep->loaded++], sizeof rep->names[0], "%s", tariff_file_names[i]);
    }
    rc = db_commit(d, e);
out:
    for (int i = 0; i < TARIFF_FILES; i++)
        buf_free(&text[i]);
    return rc;
}
