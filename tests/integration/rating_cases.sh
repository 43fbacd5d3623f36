#!/usr/bin/env bash
# Golden rating cases (tests/cases/rating/*.json) through the real `powercis rate`: each file
# holds a request and either the expected response fields or the field a refusal must name.
. "$(dirname "$0")/lib.sh"
DIR="$CASES/rating"
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d.get(sys.argv[2]); print('' if v is None else (json.dumps(v) if not isinstance(v,str) else v))" "$1" "$2"; }

for f in "$DIR"/*.json; do
  name=$(basename "$f" .json)
  req=$(field "$f" request)
  dir=$(field "$f" tariffs)
  args=()
  [ -n "$dir" ] && args=(--tariffs "$DIR/$dir")
  want_err=$(field "$f" error)
  out=$(printf '%s' "$req" | pc rate "${args[@]}" 2>"$WORK/err"); rc=$?
  if [ -n "$want_err" ]; then
    err=$(cat "$WORK/err")
    if [ $rc -eq 2 ] && [[ "$err" == *"$want_err"* ]] && [ "$(wc -l < "$WORK/err")" -eq 1 ] && [ -z "$out" ]; then
      ok "$name: refused naming '$want_err'"
    else
      not_ok "$name: refused naming '$want_err'" "rc=$rc" "stderr: $err" "stdout: $out"
    fi
    continue
  fi
  if [ $rc -ne 0 ]; then
    not_ok "$name" "rc=$rc" "$(cat "$WORK/err")"
    continue
  fi
  if diff=$(printf '%s' "$out" | python3 "$(dirname "$0")/json_subset.py" "$f"); then ok "$name"; else not_ok "$name" "$diff"; fi
done

# Lines always add up to the energy, and the energy plus VAT to the total.
for f in "$DIR"/*.json; do
  [ -n "$(field "$f" error)" ] && continue
  dir=$(field "$f" tariffs); args=(); [ -n "$dir" ] && args=(--tariffs "$DIR/$dir")
  field "$f" request | pc rate "${args[@]}" > "$WORK/out.json" 2>/dev/null || continue
  if python3 - "$WORK/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert sum(l["amount"] for l in r["lines"]) == r["energy"]
assert all(l["kwh"] * l["price"] == l["amount"] for l in r["lines"])
assert sum(l["kwh"] for l in r["lines"]) == r["kwh"]
assert r["energy"] + r["vat"] == r["total"]
PY
  then ok "$(basename "$f" .json): lines add up"; else not_ok "$(basename "$f" .json): lines add up"; fi
done

out=$(echo '{"purpose": "residential",' | pc rate 2>&1); rc=$?
check_eq "malformed JSON exits 2" "2" "$rc"
check_contains "malformed JSON named" "request: not valid JSON" "$out"
out=$(echo '[1, 2]' | pc rate 2>&1)
check_contains "not an object" "must be a JSON object" "$out"
check_contains "unknown tariff dir" "has none of" "$(echo '{}' | pc rate --tariffs "$WORK" 2>&1)"
check "help" pc rate --help
finish
