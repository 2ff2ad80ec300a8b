#!/usr/bin/python3
"""Dev-only. phase_pool.py FWHM NPZ... : pooled phase-bias curve (bright isolated), per-field statistic distribution, CRB ratio."""
import sys, glob
import numpy as np
from scipy.special import erf
fwhm = float(sys.argv[1]); files = sys.argv[2:]
lo = 100.0
sig = fwhm / 2.3548200450309493
def crb(flux, tx, ty, sky=100.0, rn=5.0):
    out = np.empty(len(flux))
    for k in range(len(flux)):
        ph_x = tx[k] - np.floor(tx[k] + 0.5); ph_y = ty[k] - np.floor(ty[k] + 0.5)
        i = np.arange(-8, 9)
        s2 = sig * np.sqrt(2)
        gx = 0.5 * (erf((i + 0.5 - ph_x) / s2) - erf((i - 0.5 - ph_x) / s2))
        gy = 0.5 * (erf((i + 0.5 - ph_y) / s2) - erf((i - 0.5 - ph_y) / s2))
        pdf = lambda z: np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
        dgx = -(pdf((i + 0.5 - ph_x) / sig) - pdf((i - 0.5 - ph_x) / sig)) / sig
        p = np.outer(gy, gx); dpx = np.outer(gy, dgx)
        v = sky + rn * rn + flux[k] * p
        F = flux[k]
        # Fisher for (F, x): 2x2 (y decoupled by symmetry to first order)
        a = np.sum(p * p / v); b = np.sum(F * p * dpx / v); c = np.sum((F * dpx) ** 2 / v)
        out[k] = np.sqrt(a / (a * c - b * b))
    return out
edges = np.linspace(-0.5, 0.5, 6)
stats = []; PH = []; E = []; Z = []
for f in files:
    d = np.load(f)
    s = (d['snr'] >= lo) & d['iso']
    px = d['tx'][s] - np.floor(d['tx'][s] + 0.5); py = d['ty'][s] - np.floor(d['ty'][s] + 0.5)
    ex, ey = d['ex'][s], d['ey'][s]
    mb = []
    for ph, e in ((px, ex), (py, ey)):
        idx = np.clip(np.digitize(ph, edges) - 1, 0, 4)
        mb += [abs(e[idx == b].mean()) for b in range(5) if (idx == b).any()]
    stats.append(max(mb))
    cx = crb(d['flux'][s], d['tx'][s], d['ty'][s]); cy = crb(d['flux'][s], d['ty'][s], d['tx'][s])
    PH += [px, py]; E += [ex, ey]; Z += [ex / cx, ey / cy]
stats = np.array(stats); PH = np.concatenate(PH); E = np.concatenate(E); Z = np.concatenate(Z)
print('fields %d: phase_bias_max mean %.5f median %.5f sd %.5f min %.5f max %.5f; fraction > 0.005: %.2f' % (
    len(stats), stats.mean(), np.median(stats), stats.std(ddof=1), stats.min(), stats.max(), (stats > 0.005).mean()))
print('per-field values', np.round(stats, 4))
print('pooled n=%d per-axis samples; rms err %.5f; rms(err/CRB) %.3f; median |z| %.3f (0.674 = Gaussian at CRB)' % (
    len(E), E.std(), Z.std(), np.median(np.abs(Z))))
b10 = np.linspace(-0.5, 0.5, 11)
idx = np.clip(np.digitize(PH, b10) - 1, 0, 9)
print('pooled bias curve (10 bins, x and y together):')
for b in range(10):
    e = E[idx == b]
    print('  phase %+.2f: %+.5f ± %.5f (n=%d)' % (0.5 * (b10[b] + b10[b + 1]), e.mean(), e.std(ddof=1) / np.sqrt(len(e)), len(e)))
idx5 = np.clip(np.digitize(PH, edges) - 1, 0, 4)
print('pooled 5-bin curve:', ' '.join('%+.5f±%.5f' % (E[idx5 == b].mean(), E[idx5 == b].std(ddof=1) / np.sqrt((idx5 == b).sum())) for b in range(5)))
A = np.column_stack([np.ones_like(PH), np.sin(2 * np.pi * PH), PH])
c, *_ = np.linalg.lstsq(A, E, rcond=None); r = E - A @ c
cov = np.linalg.inv(A.T @ A) * r.var(ddof=3)
print('fit e = c0 + c1 sin(2πφ) + c2 φ: c0 %+.5f±%.5f c1 %+.5f±%.5f c2 %+.5f±%.5f' % (c[0], np.sqrt(cov[0,0]), c[1], np.sqrt(cov[1,1]), c[2], np.sqrt(cov[2,2])))
