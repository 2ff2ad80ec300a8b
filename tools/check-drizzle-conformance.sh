#!/usr/bin/env bash
# Runs every case of the drizzle conformance set through the CLI (`tweakdrizzle resample` / `blot`) and applies
# the comparison rule of its README. Developer check only (needs Debian's python3 with numpy + astropy).
# Usage: tools/check-drizzle-conformance.sh [CONFORMANCE_DIR] [--threads N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-/work/shared/conformance/drizzle}"
shift || true
py="${PYTHON:-/usr/bin/python3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet build "$root/src/Cli" -c Release -v q -nologo >/dev/null
cli=("dotnet" "$root/src/Cli/bin/Release/net10.0/tweakdrizzle.dll")
pass=0; fail=0; failed=()
for case in "$dir"/*/; do
  name="$(basename "$case")"
  [ -f "$case/case.json" ] || continue
  kind=resample
  if "$py" -c "import json,sys; sys.exit(0 if 'interp' in json.load(open('$case/case.json')) else 1)"; then kind=blot; fi
  extra=(); [ "$kind" = resample ] && extra=(--quiet)
  "${cli[@]}" "$kind" "$case/case.json" --out "$out/$name.fits" "${extra[@]}" "$@" 2>"$out/$name.err" >/dev/null || true
  if "$py" - "$kind" "$case" "$out/$name.fits" >"$out/$name.log" 2>&1 <<'PY'
import sys, os, numpy as np
from astropy.io import fits
kind, case, actual = sys.argv[1], sys.argv[2], sys.argv[3]
if not os.path.exists(actual):
    print("no output"); sys.exit(1)
e = fits.open(os.path.join(case, "expected.fits")); a = fits.open(actual)
errs = []
def rel(act, exp, sel):
    med = np.median(np.abs(exp[sel])) if sel.any() else 0.0
    d = np.abs(act[sel].astype(np.float64) - exp[sel])
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(d == 0, 0.0, d / np.maximum(np.abs(exp[sel]), 0.1 * med))
    return r
def same_fill(act, exp):
    return (np.isnan(exp) & np.isnan(act)) | (act == exp)
if kind == "blot":
    exp = e[0].data.astype(np.float64); cmp = e["CMP"].data; act = a[0].data
    if act is None or act.shape != exp.shape: print("shape"); sys.exit(1)
    sel = cmp == 1
    r = rel(act, exp, sel)
    if not (r <= 1e-5).all(): errs.append(f"blot max rel {np.nanmax(r):.3g} ({(~(r <= 1e-5)).sum()} px)")
else:
    cmp = e["CMP"].data
    es, ew = e["SCI"].data.astype(np.float64), e["WHT"].data.astype(np.float64)
    names = [h.name for h in a]
    if "SCI" not in names or "WHT" not in names: print("missing SCI/WHT"); sys.exit(1)
    s, w = a["SCI"].data, a["WHT"].data
    if s.dtype.itemsize != 4 or s.dtype.kind != "f" or w.dtype.itemsize != 4 or w.dtype.kind != "f": errs.append("SCI/WHT not float32")
    if s.shape != es.shape: print("shape"); sys.exit(1)
    if abs(a[0].header["EXPTIME"] - e[0].header["EXPTIME"]) > 1e-6 * abs(e[0].header["EXPTIME"]): errs.append("EXPTIME")
    maxw = ew.max()
    c1, c2 = cmp == 1, cmp == 2
    if not (np.abs(w[c1] - ew[c1]) <= 1e-5 * np.maximum(np.abs(ew[c1]), 1e-6 * maxw)).all(): errs.append("WHT")
    if (w[c2] != 0).any(): errs.append("WHT empty")
    good = c1 & (ew > 1e-6 * maxw)
    planes = [("SCI", s, es)]
    evars = [h for h in e if h.name == "VAR"]
    for h in evars:
        av = [x for x in a if x.name == "VAR" and x.ver == h.ver]
        if not av: errs.append(f"VAR{h.ver} missing"); continue
        planes.append((f"VAR{h.ver}", av[0].data, h.data.astype(np.float64)))
    for nm, act, exp in planes:
        r = rel(act, exp, good)
        if not (r <= 1e-5).all(): errs.append(f"{nm} max rel {np.nanmax(r):.3g}")
        fillsel = (c1 & (ew == 0) & (w == 0)) | c2
        if not same_fill(act[fillsel], exp[fillsel]).all(): errs.append(f"{nm} fill")
    if "CTX" in [h.name for h in e]:
        ec = e["CTX"].data
        if "CTX" not in names: errs.append("CTX missing")
        else:
            ac = a["CTX"].data
            if ac.shape != ec.shape: errs.append(f"CTX shape {ac.shape} vs {ec.shape}")
            else:
                m = c1 | c2
                if not (ac[:, m] == ec[:, m]).all(): errs.append("CTX")
                if (ac[:, c2] != 0).any(): errs.append("CTX empty")
    if "DQ" in [h.name for h in e]:
        if "DQ" not in names: errs.append("DQ missing")
        else:
            ad, ed = a["DQ"].data, e["DQ"].data
            if a["DQ"].header.get("BZERO") != 2147483648: errs.append("DQ not uint32")
            m = c1 | c2
            if not (ad[m].astype(np.uint64) == ed[m].astype(np.uint64)).all(): errs.append("DQ")
print("; ".join(errs) if errs else "ok")
sys.exit(1 if errs else 0)
PY
  then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$name: $(tail -c 300 "$out/$name.log" | tr '\n' ' ') $(tail -c 200 "$out/$name.err" | tr '\n' ' ')"); fi
done
echo "drizzle conformance: $pass passed, $fail failed (of $((pass+fail)))"
for f in "${failed[@]+"${failed[@]}"}"; do echo "  FAIL $f"; done
[ "$fail" -eq 0 ]
