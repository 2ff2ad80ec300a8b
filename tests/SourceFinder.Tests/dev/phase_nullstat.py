#!/usr/bin/python3
"""Dev-only. phase_nullstat.py NPZ FWHM: p-value of phase_bias_max under 'no bias' by random sign flips of the bright isolated errors."""
import sys
import numpy as np
d = np.load(sys.argv[1]); s = (d['snr'] >= 100) & d['iso']
px = d['tx'][s] - np.floor(d['tx'][s] + 0.5); py = d['ty'][s] - np.floor(d['ty'][s] + 0.5)
ex, ey = d['ex'][s], d['ey'][s]
edges = np.linspace(-0.5, 0.5, 6)
ix = np.clip(np.digitize(px, edges) - 1, 0, 4); iy = np.clip(np.digitize(py, edges) - 1, 0, 4)
def stat(ex, ey):
    return max(max(abs(ex[ix == b].mean()) for b in range(5)), max(abs(ey[iy == b].mean()) for b in range(5)))
obs = stat(ex, ey)
rng = np.random.default_rng(1)
sims = np.array([stat(ex * rng.choice([-1, 1], len(ex)), ey * rng.choice([-1, 1], len(ey))) for _ in range(20000)])
print('observed %.5f; null (sign-flip) mean %.5f, 95%% %.5f, 99%% %.5f; p(null >= observed) = %.4f; p(null > 0.005) = %.3f' % (
    obs, sims.mean(), np.quantile(sims, 0.95), np.quantile(sims, 0.99), (sims >= obs).mean(), (sims > 0.005).mean()))
# parametric null: an unbiased estimator at the Cramér–Rao bound, same stars (positions, fluxes)
import os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import phase_crb
fw = float(sys.argv[2]) if len(sys.argv) > 2 else 1.8
cx = phase_crb.crb(fw, d['flux'][s], d['tx'][s], d['ty'][s]); cy = phase_crb.crb(fw, d['flux'][s], d['ty'][s], d['tx'][s])
sims2 = np.array([stat(rng.normal(0, cx), rng.normal(0, cy)) for _ in range(20000)])
print('CRB null: mean %.5f sd %.5f, 95%% %.5f; p(>= observed) = %.4f; p(> 0.005) = %.3f' % (sims2.mean(), sims2.std(), np.quantile(sims2, 0.95), (sims2 >= obs).mean(), (sims2 > 0.005).mean()))
