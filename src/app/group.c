/* The group view (see group.h). */
#include "app/group.h"
#include "app/audit.h"

#include <string.h>

int group_attach_corporation(db *d, const char *actor, const char *code, const char *url, pc_err *e)
{
    if (group_attach(d, code, url, actor, e) != 0)
        return -1;
    /* The URL may hold a password: the audit keeps only where the data comes from. */
    const char *at = strchr(url, '@');
    return audit_event(d, actor, "group.attach", "group_member", code,
                       json_pack("{s:s, s:s}", "code", code, "server", at ? at + 1 : url), e);
}
