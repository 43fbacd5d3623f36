#!/usr/bin/env python3
"""The access matrix (tests/integration/access.sh, issue 9): every route of the router × every
principal (no one, each staff role with its scope node, a partner) × inside / outside the
principal's scope, over real HTTP. Prints TAP.

access_matrix.py URL ROUTER_C ROUTER_H FIXTURE.json

FIXTURE: {"principals": {name: {"role", "scope", "login", "password"} | {"role": "partner",
"key_id", "secret"}}, "values": {param kind: {node code: value}}, "bodies": {"METHOD /pattern": body}} — a value of each kind of path
parameter (customer code, receipt, shift id, …) that lies under each node of the tree.

What must hold:
- nobody signed in: 401 on every route that is not public;
- a role the route does not name: 403 `forbidden`, whatever the path;
- a role it names, inside the scope: neither 401 nor 403;
- a role it names, outside the scope (a path parameter that belongs to another node): 403 or
  404, and the body is only the error (nothing of the thing leaks).
Routes whose path parameters are of no known kind are checked for the role gate only. Writes are
sent with the route's body of the fixture, or an empty JSON object (enough to pass or fail the
gate; a handler that checks the body before the scope is given a valid one, so that the scope is
what decides) and an Idempotency-Key; sign-out and the password change are left out (they
end the principal's session; tests/integration/auth.sh covers them).
"""
import hashlib
import hmac
import http.client
import json
import re
import sys
import time
import urllib.parse
import uuid

url, router_c, router_h, fixture_path = sys.argv[1:5]
fixture = json.load(open(fixture_path))
u = urllib.parse.urlsplit(url)

# ---- the route table and the access bits ----
h = open(router_h, encoding="utf-8").read()
bits = {m.group(1): 1 << int(m.group(2)) for m in re.finditer(r"(ROLE_\w+)\s*=\s*1u\s*<<\s*(\d+)", h)}
defines = {m.group(1): m.group(2) for m in re.finditer(r"#define\s+(ACCESS_\w+)\s+((?:[^\n\\]|\\\n)+)", h)}


def evaluate(expr):
    expr = expr.replace("\\\n", " ")
    for _ in range(5):
        expr = re.sub(r"ACCESS_\w+", lambda m: "(" + defines[m.group(0)] + ")", expr)
    expr = re.sub(r"ROLE_\w+", lambda m: str(bits[m.group(0)]), expr)
    expr = expr.replace("1u <<", "1 <<").replace("0u", "0")
    return eval(expr)  # only ints, | and << from our own header


PUBLIC = evaluate("ACCESS_PUBLIC")
role_bit = {"administrator": bits["ROLE_ADMINISTRATOR"], "corporation": bits["ROLE_CORPORATION"],
            "company": bits["ROLE_COMPANY"], "unit_officer": bits["ROLE_UNIT_OFFICER"],
            "cashier": bits["ROLE_CASHIER"], "partner": bits["ROLE_PARTNER"], "auditor": bits["ROLE_AUDITOR"],
            "read_only": bits["ROLE_READ_ONLY"], "account_manager": bits["ROLE_ACCOUNT_MANAGER"]}
src = open(router_c, encoding="utf-8").read()
routes = []
for m in re.finditer(r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)",\s*\w+,\s*"[^"]*",\s*([^}]+)\}', src):
    routes.append((m.group(1), m.group(2), evaluate(m.group(3).strip())))

# ---- principals ----
def connect():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def login(p):
    c = connect()
    c.request("POST", "/api/v1/login", json.dumps({"login": p["login"], "password": p["password"]}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    if r.status != 200:
        sys.exit(f"Bail out! login {p['login']}: {r.status} {body}")
    p["cookie"] = r.getheader("Set-Cookie").split(";")[0]
    p["csrf"] = body["csrf_token"]


def signature(p, method, path, query, body):
    ts = str(int(time.time()))
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    q = "&".join(urllib.parse.quote(k, safe="-_.~") + "=" + urllib.parse.quote(v, safe="-_.~") for k, v in pairs)
    canonical = "\n".join(["PCS-HMAC-SHA256", method, path, q, ts, hashlib.sha256(body).hexdigest()])
    sig = hmac.new(bytes.fromhex(p["secret"]), canonical.encode(), hashlib.sha256).hexdigest()
    return f"PCS-HMAC-SHA256 KeyId={p['key_id']}, Timestamp={ts}, Signature={sig}"


def call(p, method, path, pattern=None):
    body = json.dumps(fixture.get("bodies", {}).get(f"{method} {pattern}", {})).encode() if method != "GET" else b""
    headers = {"Accept": "application/json"}
    if method != "GET":
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = "access-" + uuid.uuid4().hex
    if p is None:
        pass
    elif p["role"] == "partner":
        headers["Authorization"] = signature(p, method, path, "", body)
    else:
        headers["Cookie"] = p["cookie"]
        headers["X-CSRF-Token"] = p["csrf"]
    c = connect()
    c.request(method, path, body if method != "GET" else None, headers)
    r = c.getresponse()
    data = r.read()
    try:
        j = json.loads(data) if (r.getheader("Content-Type") or "").startswith("application/json") else None
    except ValueError:
        j = None
    return r.status, j, data


principals = fixture["principals"]
for name, p in principals.items():
    if p["role"] != "partner":
        login(p)
values = fixture["values"]
# which fixture values a {param} of a route stands for: by the name and the resource before it
def kind_of(pattern, param):
    before = pattern.split("{" + param + "}")[0].rstrip("/").split("/")[-1]
    if param == "code":
        return "customer"
    if param == "receipt":
        return "receipt"
    if param == "ref" and before == "payments":
        return "partner_ref"
    return f"{before}:{param}"


def nodes_under(scope):
    return [n for n in values.get("_nodes", []) if n.startswith(scope)]


n = 0
failed = 0
def check(ok, name, detail=""):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {name}")
    if not ok:
        failed += 1
        for line in str(detail).splitlines():
            print(f"# {line}")


SKIP = {("POST", "/api/v1/logout"), ("POST", "/api/v1/me/password"), ("POST", "/api/v1/login")}
cases = 0
for method, pattern, access in routes:
    if (method, pattern) in SKIP:
        continue
    params = re.findall(r"\{(\w+)\}", pattern)
    kinds = [kind_of(pattern, q) for q in params]
    known = all(k in values for k in kinds)

    def fill(node_pick):
        path = pattern
        for q, k in zip(params, kinds):
            path = path.replace("{" + q + "}", urllib.parse.quote(node_pick(k), safe=""))
        return path

    any_path = fill(lambda k: next(iter(values[k].values())) if k in values else "1")
    # nobody
    if not access & PUBLIC:
        st, j, _ = call(None, method, any_path, pattern)
        cases += 1
        check(st == 401, f"{method} {pattern}: nobody signed in → 401", f"got {st}")
    if access & PUBLIC:
        continue
    for pname, p in principals.items():
        allowed = access == 0 or bool(access & role_bit[p["role"]])
        if not allowed:
            st, j, _ = call(p, method, any_path, pattern)
            cases += 1
            check(st == 403 and j and j.get("error", {}).get("code") == "forbidden",
                  f"{method} {pattern}: {pname} ({p['role']}) may not → 403", f"got {st} {j}")
            continue
        if not known or not params:
            st, j, _ = call(p, method, any_path, pattern)
            cases += 1
            check(st not in (401, 403), f"{method} {pattern}: {pname} may", f"got {st} {j}")
            continue
        scope = p.get("scope", "")
        sees_all = set(p.get("sees_all", []))

        def inside(k):
            return next(v for node, v in values[k].items() if k in sees_all or node.startswith(scope))

        def outside(k):  # one parameter outside, the others inside
            return next(v for node, v in values[k].items() if k not in sees_all and not node.startswith(scope))

        try:
            path_in = fill(inside)
        except StopIteration:
            path_in = None
        if path_in:
            st, j, _ = call(p, method, path_in, pattern)
            cases += 1
            check(st not in (401, 403), f"{method} {path_in}: {pname} inside its scope → not 401/403", f"got {st} {j}")
        path_out = None  # none when nothing lies outside (the whole tree)
        for i, k in enumerate(kinds):
            try:
                value = outside(k)
            except StopIteration:
                continue
            try:
                path_out = fill(lambda kk, i=i, k=k, value=value: value if kk == k else inside(kk))
            except StopIteration:
                path_out = None
            break
        if path_out:
            st, j, data = call(p, method, path_out, pattern)
            cases += 1
            leak_free = j is not None and set(j.keys()) == {"error"}
            check(st in (403, 404) and leak_free, f"{method} {path_out}: {pname} outside its scope → 403/404, no data",
                  f"got {st} {data[:300]!r}")
print(f"# {len(routes)} routes, {len(principals)} principals, {cases} requests")
print(f"1..{n}")
sys.exit(1 if failed else 0)
