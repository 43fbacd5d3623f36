#!/usr/bin/env python3
"""A burst of counter postings over HTTP (tests/integration/crash.sh, make soak).

burst.py URL LOGIN PASSWORD SHIFT JOBS [--threads N] [--out RESULTS]

JOBS: lines "key<TAB>customer_code<TAB>amount". Signs in, then posts every job as
POST /api/v1/payments with its Idempotency-Key from N threads. A job whose connection fails (the
server was killed) is left unanswered; the others' statuses are written to RESULTS as
"key<TAB>status". Exit 0 when every job got an answer of 200 or 201, 3 when some got none (run it
again with the same JOBS: the keys make the retry safe), 1 on any other status.
"""
import argparse
import http.client
import json
import sys
import threading
import urllib.parse


def session(host, port, login, password):
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.request("POST", "/api/v1/login", json.dumps({"login": login, "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    if r.status != 200:
        sys.exit(f"login: {r.status} {body}")
    cookie = r.getheader("Set-Cookie").split(";")[0]
    return cookie, body["csrf_token"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("login")
    ap.add_argument("password")
    ap.add_argument("shift", type=int)
    ap.add_argument("jobs")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--out")
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)
    jobs = [line.rstrip("\n").split("\t") for line in open(a.jobs) if line.strip()]
    try:
        cookie, csrf = session(u.hostname, u.port, a.login, a.password)
    except OSError as e:
        print(f"# no server: {e}")
        sys.exit(3)
    results = {}
    lock = threading.Lock()
    it = iter(jobs)

    def worker():
        conn = None
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            key, code, amount = job
            body = json.dumps({"customer_code": code, "amount": int(amount), "shift_id": a.shift,
                               "method": "cash", "paid_at": "2025-07-20 09:00"})
            for attempt in range(2):  # a closed keep-alive connection is retried once on a new one
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
                    conn.request("POST", "/api/v1/payments", body,
                                 {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf,
                                  "Idempotency-Key": key})
                    r = conn.getresponse()
                    r.read()
                    with lock:
                        results[key] = r.status
                    break
                except (OSError, http.client.HTTPException):
                    conn = None  # twice: the server is gone, this job stays unanswered

    threads = [threading.Thread(target=worker) for _ in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if a.out:
        with open(a.out, "w") as f:
            for key, status in sorted(results.items()):
                f.write(f"{key}\t{status}\n")
    bad = {k: s for k, s in results.items() if s not in (200, 201)}
    print(f"# {len(results)} answered of {len(jobs)}, {len(bad)} not 200/201")
    if bad:
        print(f"# e.g. {list(bad.items())[:3]}")
        sys.exit(1)
    sys.exit(0 if len(results) == len(jobs) else 3)


if __name__ == "__main__":
    main()
