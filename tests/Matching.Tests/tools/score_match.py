#!/usr/bin/python3
"""Dev script (not a test): runs `tweakdrizzle match` on every case of a conformance/match folder and
scores it with the README's rule. Usage:
    score_match.py CASES_DIR CLI_DLL [case ...]
CLI_DLL is the built tweakdrizzle.dll (run with `dotnet`). Prints one line per case and the pass count."""
import json, os, subprocess, sys, tempfile, time

import numpy as np


def score(case_dir, cli):
    p = json.load(open(os.path.join(case_dir, "params.json")))
    t = json.load(open(os.path.join(case_dir, "truth.json")))
    out = os.path.join(tempfile.mkdtemp(), "r.json")
    cmd = ["dotnet", cli, "match", os.path.join(case_dir, "in.csv"), os.path.join(case_dir, "ref.csv"),
           "--fitgeometry", p["fitgeometry"], "--out", out]
    if p.get("tweakreg_comfort"):
        cmd += ["--tolerance", str(p["tolerance"]), "--searchrad", str(p["searchrad"])]
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t0
    if not os.path.exists(out):
        return False, f"no result (exit {proc.returncode}): {proc.stderr.strip()}", wall
    r = json.load(open(out))
    if p.get("must_fail"):
        return r["status"] == "FAILED", f"status {r['status']} ({r.get('message', '')[:90]})", wall
    if r["status"] != "SUCCESS":
        return False, f"status {r['status']}: {r.get('message', '')[:120]}", wall
    M, s = np.array(r["matrix"]), np.array(r["shift"])
    Mt, st = np.array(t["matrix"]), np.array(t["shift"])
    pts = np.array(t["eval_points"], dtype=float)
    err = np.max(np.hypot(*((pts @ M.T + s) - (pts @ Mt.T + st)).T))
    limit = t["expected_error"]["limit_px"]
    truth = [tuple(x) for x in t["pairs"]]
    unrec = set(t.get("unrecoverable", []))
    recoverable = {truth[k] for k in range(len(truth)) if k not in unrec}
    all_true = set(truth)
    got = {tuple(x) for x in r["pairs"]}
    found = len(got & recoverable) / max(1, len(recoverable))
    false = len(got - all_true) / max(1, len(got))
    ok = err <= limit and found >= 0.95 and false <= 0.01
    return ok, (f"err {err:.4f}/{limit:.4f} px, found {found:.3f}, false {false:.4f}, n {r['nmatch']}, "
                f"strategy {r.get('strategy')}"), wall


def main():
    root, cli = sys.argv[1], sys.argv[2]
    cases = sys.argv[3:] or sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    n_ok = 0
    for c in cases:
        ok, msg, wall = score(os.path.join(root, c), cli)
        n_ok += ok
        print(f"{'PASS' if ok else 'FAIL'} {c:32s} {wall:5.2f}s {msg}", flush=True)
    print(f"{n_ok}/{len(cases)} passed")


if __name__ == "__main__":
    main()
