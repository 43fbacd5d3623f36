#!/usr/bin/env python3
"""Exit 0 when every field of EXPECTED (a JSON file's "expect") is in ACTUAL (stdin), recursively;
lists compare element by element and must have the same length. Prints the first difference."""
import json
import sys


def subset(exp, act, path):
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            return f"{path}: expected an object, got {act!r}"
        for k, v in exp.items():
            if k not in act:
                return f"{path}.{k}: missing"
            d = subset(v, act[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(exp, list):
        if not isinstance(act, list) or len(exp) != len(act):
            return f"{path}: expected {len(exp)} items, got {act!r}"
        for i, (e, a) in enumerate(zip(exp, act)):
            d = subset(e, a, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if exp == act and type(exp) == type(act) else f"{path}: expected {exp!r}, got {act!r}"


case = json.load(open(sys.argv[1], encoding="utf-8"))
actual = json.load(sys.stdin)
diff = subset(case["expect"], actual, "$")
if diff:
    print(diff)
    sys.exit(1)
