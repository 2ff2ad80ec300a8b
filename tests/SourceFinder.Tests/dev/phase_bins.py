#!/usr/bin/python3
"""Dev-only. phase_bins.py IMAGE TRUTH FWHM CSV [MIN_SNR]: per-bin phase bias with standard errors (find_bench definitions)."""
import csv, sys, json
import numpy as np
sys.path.insert(0, '/work/shared/tools')
import find_bench as fb
from astropy.io import fits
from scipy.spatial import cKDTree
img, truthf, fwhm, c = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
ny, nx = fits.getheader(img)['NAXIS2'], fits.getheader(img)['NAXIS1']
truth = fb.load_truth(truthf)
xy = np.column_stack([truth['x'], truth['y']])
vis = truth['snr'] >= 3
d2, _ = cKDTree(xy[vis]).query(xy, k=2)
dn = np.where(vis, d2[:, 1], d2[:, 0])
edge = np.minimum.reduce([truth['x'] + 0.5, nx - 0.5 - truth['x'], truth['y'] + 0.5, ny - 0.5 - truth['y']])
iso = (dn > 3.0 * fwhm) & (edge >= 3.0 * fwhm)
rows = list(csv.DictReader(open(c)))
x = np.array([float(r['xcentroid']) for r in rows]); y = np.array([float(r['ycentroid']) for r in rows])
ti, di = fb.match(truth['x'], truth['y'], x, y, 1.0)
ex = x[di] - truth['x'][ti]; ey = y[di] - truth['y'][ti]
snr = truth['snr'][ti]
lo = float(sys.argv[5]) if len(sys.argv) > 5 else 100
s = (snr >= lo) & iso[ti]
px = truth['x'][ti][s] - np.floor(truth['x'][ti][s] + 0.5)
py = truth['y'][ti][s] - np.floor(truth['y'][ti][s] + 0.5)
edges = np.linspace(-0.5, 0.5, 6)
print('n=%d (S/N>=%g isolated)' % (s.sum(), lo))
mx = 0
for name, ph, e in (('x', px, ex[s]), ('y', py, ey[s])):
    idx = np.clip(np.digitize(ph, edges) - 1, 0, 4)
    out = []
    for b in range(5):
        eb = e[idx == b]
        m = eb.mean(); se = eb.std(ddof=1) / np.sqrt(len(eb))
        med = np.median(eb)
        out.append('%+.4f±%.4f(n=%d,med %+.4f)' % (m, se, len(eb), med))
        mx = max(mx, abs(m))
    print(name, ' '.join(out))
print('phase_bias_max %.5f' % mx)
# slope fit: error vs phase
allph = np.concatenate([px, py]); alle = np.concatenate([ex[s], ey[s]])
A = np.column_stack([np.ones_like(allph), allph])
coef, *_ = np.linalg.lstsq(A, alle, rcond=None)
res = alle - A @ coef
cov = np.linalg.inv(A.T @ A) * res.var(ddof=2)
print('linear: offset %+.5f±%.5f slope %+.5f±%.5f; rms per axis %.4f; max |err| %.4f' % (coef[0], np.sqrt(cov[0,0]), coef[1], np.sqrt(cov[1,1]), alle.std(), np.abs(alle).max()))
# odd S-curve sin(2πφ)
A2 = np.column_stack([np.ones_like(allph), np.sin(2*np.pi*allph)])
c2, *_ = np.linalg.lstsq(A2, alle, rcond=None); r2 = alle - A2 @ c2
cov2 = np.linalg.inv(A2.T @ A2) * r2.var(ddof=2)
print('sin(2πφ) amplitude %+.5f±%.5f' % (c2[1], np.sqrt(cov2[1,1])))
# worst stars
o = np.argsort(-np.abs(alle))[:6]
print('worst errors', np.round(alle[o], 4), 'phases', np.round(allph[o], 3))
