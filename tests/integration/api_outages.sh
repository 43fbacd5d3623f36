#!/usr/bin/env bash
# Outages and the reliability report over real HTTP (docs/api.md "Outages"): add by count, route
# and list, a repeat answering the first, refusals naming the field with nothing changed, closing
# once, cancelling, the report with its 3-decimal figures, and the scope: an officer records and sees only
# what lies under its node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
for u in "admin administrator PA" "vb.officer unit_officer PA0101" "vb.audit auditor PA0101" "vb.cashier cashier PA0101"; do
  set -- $u
  echo "pw-$1-12345" | pc user add "$1" --name "Người $1" --role "$2" --scope "$3" --password-stdin >/dev/null
done
api_serve
for a in admin vb.officer vb.audit vb.cashier; do login "$a" "$a" "pw-$a-12345" >/dev/null; done
served=$(sql "SELECT count(*) FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE u.code = 'PA0101' AND c.status = 'active'")
check_eq "PA0101 serves 2 customers in the fixture" "2" "$served"

st=$(post vb.officer o1.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-02 08:00","end":"2026-11-02 09:30","customers":2}')
check_eq "an officer records an outage in its unit: 201" "201|2|count|false" "$st|$(jf 'd["customers"]' < o1.json)|$(jf 'd["affected_by"]' < o1.json)|$(jf 'str(d["duplicate"]).lower()' < o1.json)"
st=$(post vb.officer o1b.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-02 08:00","end":"2026-11-02 09:30","customers":2}')
check_eq "the same outage again: 200, the first one" "200|$(jf 'd["id"]' < o1.json)|true" "$st|$(jf 'd["id"]' < o1b.json)|$(jf 'str(d["duplicate"]).lower()' < o1b.json)"
st=$(post vb.officer o2.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-03 08:00","end":"2026-11-03 08:04","customers":["PA01010000101"]}')
check_eq "a list of codes: one customer, 4 minutes, momentary" "201|1|list|momentary" "$st|$(jf 'd["customers"]' < o2.json)|$(jf 'd["affected_by"]' < o2.json)|$(jf 'd["kind"]' < o2.json)"

before=$(fingerprint)
st=$(post vb.officer e1.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-04 8:00","customers":1}')
check_eq "a bad start: 400 naming start" "400|invalid|start" "$st|$(err e1.json)"
st=$(post vb.officer e2.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-04 08:00","end":"2026-11-04 09:00","customers":["PA01010000101","PA01020000104"]}')
check_eq "a listed customer outside the scope: 400 naming customers" "400|invalid|customers" "$st|$(err e2.json)"
check_contains "the message names the entry" "customers[1]: customer PA01020000104 is not under scope PA0101" "$(cat e2.json)"
st=$(post vb.officer e3.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-04 08:00","end":"2026-11-04 09:00","customers":3}')
check_eq "more customers than served: 400" "400|invalid|customers" "$st|$(err e3.json)"
st=$(post vb.officer e4.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-04 08:00","end":"2026-11-04 09:00","customers":1,"route":"PA0101-001"}')
check_eq "two ways of giving customers: 400" "400" "$st"
st=$(post vb.officer e5.json /api/v1/outages '{"scope":"PA0201","start":"2026-11-04 08:00","end":"2026-11-04 09:00","customers":1}')
check_eq "a scope outside the officer's node: 403" "403" "$st"
st=$(post vb.audit e6.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-04 08:00","end":"2026-11-04 09:00","customers":1}')
check_eq "an auditor does not record outages: 403" "403|forbidden" "$st|$(jf 'd["error"]["code"]' < e6.json)"
check_eq "refusals changed nothing" "$before" "$(fingerprint)"

st=$(post vb.officer o3.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-05 22:00","route":"PA0101-001","cause":"sự cố"}')
id3=$(jf 'd["id"]' < o3.json)
check_eq "an ongoing outage by route" "201|ongoing|None" "$st|$(jf 'd["kind"]' < o3.json)|$(jf 'd["end"]' < o3.json)"
st=$(call l.json -b vb.audit "$U/api/v1/outages?open=1")
check_eq "the auditor lists the ongoing ones" "200|$id3" "$st|$(jf '",".join(str(o["id"]) for o in d["items"])' < l.json)"
st=$(post vb.officer c1.json "/api/v1/outages/$id3/close" '{"end":"2026-11-05 21:00"}')
check_eq "closing before the start: 400 naming end" "400|invalid|end" "$st|$(err c1.json)"
st=$(post vb.officer c2.json "/api/v1/outages/$id3/close" '{"end":"2026-11-06 00:00"}')
check_eq "closed: 120 minutes" "200|120|sustained" "$st|$(jf 'd["minutes"]' < c2.json)|$(jf 'd["kind"]' < c2.json)"
st=$(post vb.officer c3.json "/api/v1/outages/$id3/close" '{"end":"2026-11-06 01:00"}')
check_eq "closing again: 409" "409" "$st"
o_out=$(pc outage add --scope PA0201 --start "2026-11-07 08:00" --customers 1 --json | jf 'd["id"]')
st=$(post vb.officer c4.json "/api/v1/outages/$o_out/close" '{"end":"2026-11-07 09:00"}')
check_eq "an outage outside the scope is not found" "404" "$st"
st=$(call l2.json -b vb.officer "$U/api/v1/outages?scope=PA")
check_eq "listing above the node: 403" "403" "$st"

st=$(call r.json -b vb.cashier "$U/api/v1/reports/reliability?month=2026-11")
check_eq "report for the cashier's unit: (2×90 + 1×120) / 2 served" "200|PA0101|2|1.500|150.000|100.000|0.500" \
  "$st|$(jf '"|".join(str(x) for x in (d["rows"][0]["scope"], d["rows"][0]["customers_served"]))' < r.json)|$(python3 -c '
import re,sys; t=open("r.json").read(); print("|".join(re.search(r"\"%s\":([0-9.]+)" % k, t).group(1) for k in ("saifi","saidi","caidi","maifi")))')"
id1=$(jf 'd["id"]' < o1.json)
before=$(fingerprint)
st=$(post vb.officer x1.json "/api/v1/outages/$id1/cancel" '{"reason":"  "}')
check_eq "cancel with a blank reason: 400 naming reason" "400|invalid|reason" "$st|$(err x1.json)"
st=$(post vb.officer x2.json "/api/v1/outages/$id1/cancel" '{}')
check_eq "cancel without a reason: 400 naming reason" "400|invalid|reason" "$st|$(err x2.json)"
st=$(post vb.officer x3.json "/api/v1/outages/99999/cancel" '{"reason":"nhập nhầm"}')
check_eq "cancel an unknown outage: 404" "404" "$st"
st=$(post vb.officer x4.json "/api/v1/outages/$o_out/cancel" '{"reason":"nhập nhầm"}')
check_eq "cancel an outage outside the scope: 404" "404" "$st"
st=$(post vb.audit x5.json "/api/v1/outages/$id1/cancel" '{"reason":"nhập nhầm"}')
check_eq "an auditor does not cancel: 403" "403|forbidden" "$st|$(jf 'd["error"]["code"]' < x5.json)"
check_eq "refused cancellations changed nothing" "$before" "$(fingerprint)"
st=$(post vb.officer x6.json "/api/v1/outages/$id1/cancel" '{"reason":"nhập nhầm"}')
check_eq "the officer cancels a closed outage: 200" "200|cancelled|nhập nhầm|vb.officer|false" \
  "$st|$(jf 'd["status"]' < x6.json)|$(jf 'd["cancel_reason"]' < x6.json)|$(jf 'd["cancelled_by"]' < x6.json)|$(jf 'str(d["was_open"]).lower()' < x6.json)"
st=$(post vb.officer x7.json "/api/v1/outages/$id1/cancel" '{"reason":"lần nữa"}')
check_eq "cancelling again: 409" "409" "$st"
st=$(post vb.officer o4.json /api/v1/outages '{"scope":"PA0101","start":"2026-11-20 08:00","customers":1}')
id4=$(jf 'd["id"]' < o4.json)
st=$(post vb.officer x8.json "/api/v1/outages/$id4/cancel" '{"reason":"ghi trùng"}')
check_eq "an ongoing outage is cancelled: 200, was open" "200|cancelled|true" "$st|$(jf 'd["status"]' < x8.json)|$(jf 'str(d["was_open"]).lower()' < x8.json)"
st=$(post vb.officer x9.json "/api/v1/outages/$id4/close" '{"end":"2026-11-20 09:00"}')
check_eq "closing a cancelled outage: 409" "409|outage $id4 is cancelled (ghi trùng): it cannot be closed" "$st|$(jf 'd["error"]["message"]' < x9.json)"
st=$(call l4.json -b vb.audit "$U/api/v1/outages?open=1")
check_eq "open=1 leaves the cancelled one out" "" "$(jf '",".join(str(o["id"]) for o in d["items"] if o["id"] == '"$id4"')' < l4.json)"
st=$(call l3.json -b vb.audit "$U/api/v1/outages?month=2026-11")
check_eq "the list shows the status" "cancelled" "$(jf '",".join(o["status"] for o in d["items"] if o["id"] == '"$id1"')' < l3.json)"
st=$(call r4.json -b vb.cashier "$U/api/v1/reports/reliability?month=2026-11")
check_eq "report after cancelling the 2 × 90 min: 1 × 120 / 2 served, 1 momentary" "200|0.500|60.000|120.000|0.500" \
  "$st|$(python3 -c '
import re,sys; t=open("r4.json").read(); print("|".join(re.search(r"\"%s\":([0-9.]+)" % k, t).group(1) for k in ("saifi","saidi","caidi","maifi")))')"
st=$(call r2.csv -b admin "$U/api/v1/reports/reliability?month=2026-11&scope=PA02&format=csv")
check_eq "csv download for PA02: the company and its unit" "200|3" "$st|$(wc -l < r2.csv)"
st=$(call r3.json -b admin "$U/api/v1/reports/reliability")
check_eq "no month: 400 naming month" "400|invalid|month" "$st|$(err r3.json)"
finish
