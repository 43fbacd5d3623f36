#!/usr/bin/env python3
"""Keeps docs/openapi.yaml and the route table of src/http/router.c in step: every route of the
table is documented with its method and path, and the document names no route the server lacks.
Reads the YAML's path and method keys by indentation (no YAML library needed). Prints TAP."""
import re
import sys

router, spec = sys.argv[1], sys.argv[2]
routes = set(re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', open(router, encoding="utf-8").read()))

documented = set()
in_paths, path = False, None
for line in open(spec, encoding="utf-8"):
    if re.match(r"^paths:\s*$", line):
        in_paths = True
        continue
    if in_paths and re.match(r"^\S", line):
        in_paths = False
    if not in_paths:
        continue
    m = re.match(r"^  (/\S*):\s*$", line)
    if m:
        path = m.group(1)
        continue
    m = re.match(r"^    (get|post|put|patch|delete):\s*$", line)
    if m and path:
        documented.add((m.group(1).upper(), path))

n, failed = 0, 0
def check(ok, name, detail=""):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {name}")
    if not ok:
        failed += 1
        print(f"# {detail}")

check(len(routes) > 0, "the router has routes", router)
for m, p in sorted(routes):
    check((m, p) in documented, f"{m} {p} is in docs/openapi.yaml", "add it under paths:")
for m, p in sorted(documented - routes):
    check(False, f"{m} {p} of docs/openapi.yaml is a route", "the server has no such route")
print(f"1..{n}")
sys.exit(1 if failed else 0)
