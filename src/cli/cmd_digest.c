/* powercis digest preview: the daily digest an account would receive, printed, not sent. */
#include <stdio.h>
#include <string.h>

#include "app/digest.h"
#include "cli/cli.h"

static const char digest_usage[] =
    "usage: powercis digest preview --user LOGIN [--date YYYY-MM-DD] [--chart FILE.png]\n\n"
    "Prints the subject and text of the digest LOGIN would receive on DATE (default today) for the\n"
    "scope of the account — figures to the end of the day before — without sending anything.\n"
    "--chart writes the chart the e-mail carries. The scheduler sends the digest at 07:00\n"
    "(`powercis jobs list`).\n";

int cmd_digest(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(digest_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "preview") != 0)
        return cli_usage_error("digest", "unknown subcommand '%s' (preview)", argv[1]);
    const char *login = NULL, *date = NULL, *chart = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--user", &login, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--chart", &chart, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("digest preview", argc, argv, 2, opts, pos, 0, &npos) != 0)
        return 2;
    if (!login)
        return cli_usage_error("digest preview", "--user LOGIN is required");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    pc_err e = {0};
    civil_date day = date_today(cfg->utc_offset_minutes);
    if (date && date_parse(date, &day, &e) != 0) {
        pc_err_prefix(&e, "--date");
        return cli_fail(&e);
    }
    db *d = cli_open_db();
    if (!d)
        return 1;
    user_row u;
    digest_data dd;
    buf subject = {0}, text = {0}, png = {0};
    int rc = -1;
    if (user_get(d, login, &u, &e) != 0)
        goto out;
    if (digest_data_load(d, cfg, day, &dd, &e) != 0)
        goto out;
    rc = digest_render(&dd, &u, &subject, &text, chart ? &png : NULL, &e);
    digest_data_free(&dd);
    if (rc != 0)
        goto out;
    printf("%s\n\n%s", subject.data, text.data);
    if (chart) {
        FILE *f = fopen(chart, "wb");
        if (!f || fwrite(png.data, 1, png.len, f) != png.len || fclose(f) != 0) {
            rc = pc_errf(&e, PC_EIO, "%s cannot be written", chart);
            if (f)
                fclose(f);
        }
    }
out:
    db_close(d);
    buf_free(&subject);
    buf_free(&text);
    buf_free(&png);
    return rc == 0 ? 0 : cli_fail(&e);
}
