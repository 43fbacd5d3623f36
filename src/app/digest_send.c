/* Sending the daily digest (app/digest_send.h). */
#include "app/digest_send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/digest.h"
#include "app/notify.h"
#include "store/users.h"

typedef struct {
    user_row *v;
    int n, cap;
} accounts;

static int collect(void *ctx, const user_row *u)
{
    accounts *a = ctx;
    if (!u->email[0] && !u->chat_url[0])
        return 0;
    if (a->n == a->cap) {
        int cap = a->cap ? a->cap * 2 : 16;
        user_row *p = realloc(a->v, sizeof *p * (size_t)cap);
        if (!p)
            return -1;
        a->v = p;
        a->cap = cap;
    }
    a->v[a->n++] = *u;
    return 0;
}

static int enqueue(db *d, const pc_config *cfg, const user_row *u, const char *channel, const char *recipient,
                   const char *day, const char *date_text, const char *summary, const buf *png,
                   digest_send_result *out, pc_err *e)
{
    char key[160], att_name[64];
    /* one digest per account and day: the key is the account and the day, not the content */
    snprintf(key, sizeof key, "digest:%s:%s", u->login, day);
    snprintf(att_name, sizeof att_name, "digest-%s.png", day);
    notify_field fields[] = {{"scope_name", u->scope_name}, {"date", date_text}, {"summary", summary}};
    notify_attachment att = {att_name, "image/png", png ? png->data : NULL, png ? png->len : 0};
    notify_request rq = {.event = "digest",
                         .event_key = key,
                         .channel = channel,
                         .recipient = recipient,
                         .customer_id = 0,
                         .lang = u->lang,
                         .fields = fields,
                         .nfields = 3,
                         .attachment = png && png->len ? &att : NULL};
    notify_enqueued q;
    if (notify_enqueue(d, cfg, &rq, &q, e) != 0)
        return pc_err_prefix(e, "digest of %s by %s", u->login, channel);
    if (q.duplicate)
        out->duplicates++;
    else
        out->queued++;
    return 0;
}

int digest_send_all(db *d, const pc_config *cfg, civil_date date, digest_send_result *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    accounts a = {0};
    digest_data dd;
    int rc = -1;
    if (user_list(d, NULL, true, collect, &a, e) != 0) {
        if (e->code == PC_OK)
            pc_errf(e, PC_EINTERNAL, "out of memory");
        goto out;
    }
    out->recipients = a.n;
    if (a.n == 0) {
        rc = 0;
        goto out;
    }
    if (digest_data_load(d, cfg, date, &dd, e) != 0)
        goto out;
    char day[DATE_FMT_MAX];
    date_format(date, day);
    rc = 0;
    for (int i = 0; i < a.n && rc == 0; i++) {
        const user_row *u = &a.v[i];
        buf subject = {0}, text = {0}, png = {0};
        rc = digest_render(&dd, u, &subject, &text, u->email[0] ? &png : NULL, e);
        if (rc == 0) {
            /* the template puts its own title over the summary: drop the rendered title line */
            const char *nl = strchr(text.data, '\n');
            const char *summary = nl ? nl + 1 : text.data;
            char date_text[DATE_FMT_MAX];
            int y, m, dd_;
            date_to_ymd(date, &y, &m, &dd_);
            if (strcmp(u->lang, "en") == 0)
                snprintf(date_text, sizeof date_text, "%s", day);
            else
                snprintf(date_text, sizeof date_text, "%02d/%02d/%04d", dd_, m, y);
            if (u->email[0])
                rc = enqueue(d, cfg, u, "email", u->email, day, date_text, summary, &png, out, e);
            if (rc == 0 && u->chat_url[0])
                rc = enqueue(d, cfg, u, "chat", u->chat_url, day, date_text, summary, NULL, out, e);
        }
        buf_free(&subject);
        buf_free(&text);
        buf_free(&png);
    }
    digest_data_free(&dd);
    if (rc != 0)
        goto out;
    /* send now rather than at the sender's next pass: managers read it at 07:00 */
    notify_delivery st;
    if (notify_deliver(d, cfg, 0, &st, e) != 0) {
        rc = -1;
        goto out;
    }
    out->delivered = (int)st.sent;
out:
    free(a.v);
    return rc;
}
