#!/usr/bin/python3
"""Dev-only checker (never run by the tests): compares our --mode dao CSVs with the conformance
expected.csv files using the rules of conformance/sourcefind/README.md.
usage: check_find.py CASES_DIR OUT_DIR   (OUT_DIR/<case>.csv written by the tool)"""
import csv, json, math, os, sys
import numpy as np


def load(path):
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    return rows


def main():
    cases_dir, out_dir = sys.argv[1], sys.argv[2]
    npass = 0
    names = sorted(d for d in os.listdir(cases_dir) if os.path.isdir(os.path.join(cases_dir, d)))
    for name in names:
        cdir = os.path.join(cases_dir, name)
        exp = load(os.path.join(cdir, 'expected.csv'))
        got = load(os.path.join(out_dir, name + '.csv'))
        marg = load(os.path.join(cdir, 'marginal.csv'))
        meta = json.load(open(os.path.join(cdir, 'meta.json')))
        r = max(meta['kernel']['xradius'], meta['kernel']['yradius'])
        nanpix = None
        if meta['image'].get('n_nan', 0):
            from astropy.io import fits
            d = fits.getdata(os.path.join(cdir, 'image.fits'))
            nanpix = np.argwhere(np.isnan(d))  # (y, x)
        ex = np.array([[float(e['xcentroid']), float(e['ycentroid'])] for e in exp]).reshape(-1, 2)
        gx = np.array([[float(e['xcentroid']), float(e['ycentroid'])] for e in got]).reshape(-1, 2)
        # greedy pairing by distance <= 0.5
        pairs = []
        if len(ex) and len(gx):
            dd = np.hypot(ex[:, None, 0] - gx[None, :, 0], ex[:, None, 1] - gx[None, :, 1])
            cand = np.argwhere(dd <= 0.5)
            order = np.argsort(dd[cand[:, 0], cand[:, 1]], kind='stable')
            ue, ug = set(), set()
            for k in order:
                i, j = cand[k]
                if i in ue or j in ug:
                    continue
                ue.add(i); ug.add(j); pairs.append((i, j))
        pe = {i for i, _ in pairs}; pg = {j for _, j in pairs}
        mxy = np.array([[float(m['xcentroid']), float(m['ycentroid'])] for m in marg]).reshape(-1, 2)

        def is_marginal(x, y):
            return len(mxy) and np.min(np.hypot(mxy[:, 0] - x, mxy[:, 1] - y)) <= 0.5

        def near_nan(x, y):
            if nanpix is None:
                return False
            ix, iy = int(round(x)), int(round(y))
            return np.any(np.maximum(abs(nanpix[:, 1] - ix), abs(nanpix[:, 0] - iy)) <= 3 * r + 1)

        problems = []
        n_marg = 0
        for i in range(len(ex)):
            if i not in pe:
                if is_marginal(*ex[i]):
                    n_marg += 1
                else:
                    problems.append('missing expected row %s at (%.3f, %.3f)' % (exp[i]['id'], *ex[i]))
        for j in range(len(gx)):
            if j not in pg:
                if near_nan(*gx[j]):
                    continue
                if is_marginal(*gx[j]):
                    n_marg += 1
                else:
                    problems.append('extra row %s at (%.3f, %.3f)' % (got[j]['id'], *gx[j]))
        if n_marg > max(1, math.ceil(0.005 * len(ex))):
            problems.append('%d marginal unpaired rows' % n_marg)
        worst = {}
        for i, j in pairs:
            e, g = exp[i], got[j]
            for col, tol, rel in (('xcentroid', 1e-4, False), ('ycentroid', 1e-4, False), ('sharpness', 1e-4, False),
                                  ('roundness1', 1e-4, False), ('roundness2', 1e-4, False), ('peak', 1e-5, True),
                                  ('flux', 1e-5, True), ('mag', 1.1e-5, False), ('sky', 1e-9, False)):
                a, b = float(e[col]), float(g[col])
                if math.isnan(a) and math.isnan(b):
                    continue
                d = abs(a - b) / (abs(a) if rel and a != 0 else 1.0)
                worst[col] = max(worst.get(col, 0.0), d)
                if not d <= tol:
                    problems.append('row %s %s: expected %r got %r' % (e['id'], col, a, b))
            if e['npix'] != g['npix']:
                problems.append('row %s npix' % e['id'])
        ids_ok = [int(g['id']) for g in got] == list(range(1, len(got) + 1))
        if not ids_ok:
            problems.append('ids not 1..n')
        order_same = [p[1] for p in sorted(pairs)] == sorted(p[1] for p in pairs)
        ok = not problems
        npass += ok
        print('%-30s %s  expected %d got %d paired %d marginal %d order %s worst %s' % (
            name, 'PASS' if ok else 'FAIL', len(ex), len(gx), len(pairs), n_marg,
            'same' if order_same else 'differs',
            ' '.join('%s=%.1e' % kv for kv in worst.items())))
        for p in problems[:8]:
            print('    ' + p)
    print('daofind conformance: %d/%d cases pass' % (npass, len(names)))
    return 0 if npass == len(names) else 1


if __name__ == '__main__':
    sys.exit(main())
