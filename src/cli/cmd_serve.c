/* powercis serve: the HTTP API (and, with issue 8, the web app) with the scheduler inside. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"

static const char serve_usage[] =
    "usage: powercis serve [--listen HOST:PORT] [--threads N] [--no-scheduler] [--tick SECONDS]\n\n"
    "Serves the HTTP API on HOST:PORT (default [server] listen, $POWERCIS_LISTEN, 127.0.0.1:8080):\n"
    "GET /healthz, GET /metrics (Prometheus), GET /api/v1/jobs. The scheduler's jobs ([jobs]) run\n"
    "inside the server unless --no-scheduler or [server] scheduler = off. SIGTERM or SIGINT stops it:\n"
    "no new connections, requests in flight finish (up to [server] shutdown_grace_seconds).\n";

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(serve_usage, stdout);
        return 0;
    }
    const char *listen = NULL, *threads_v = NULL, *tick_v = NULL;
    bool no_scheduler = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--listen", &listen, NULL, NULL, NULL, 0},
                      {"--threads", &threads_v, NULL, NULL, NULL, 0},
                      {"--tick", &tick_v, NULL, NULL, NULL, 0},
                      {"--no-scheduler", NULL, &no_scheduler, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("serve", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    server_options o;
    memset(&o, 0, sizeof o);
    const char *env = getenv("POWERCIS_LISTEN");
    snprintf(o.listen, sizeof o.listen, "%s", listen ? listen : env && env[0] ? env : cfg->server.listen);
    o.threads = cfg->server.threads;
    o.max_body_bytes = (size_t)cfg->server.max_body_bytes;
    o.scheduler = cfg->server.scheduler && !no_scheduler;
    o.tick_seconds = cfg->server.tick_seconds;
    o.shutdown_grace_seconds = cfg->server.shutdown_grace_seconds;
    int64_t v;
    if (threads_v) {
        if (cli_parse_int("--threads", threads_v, 1, 256, &v) != 0)
            return 2;
        o.threads = (int)v;
    }
    if (tick_v) {
        char *end;
        o.tick_seconds = strtod(tick_v, &end);
        if (*end || !(o.tick_seconds >= 0.01 && o.tick_seconds <= 3600))
            return cli_usage_error("serve", "--tick '%s': seconds from 0.01 to 3600 are expected", tick_v);
    }
    /* a server logs every request (info) unless $POWERCIS_LOG says otherwise */
    log_set_level(LOG_INFO);
    pc_err e = {0};
    if (server_run(&o, cfg, cli_db_target(), &e) != 0)
        return cli_fail(&e);
    return 0;
}
