#!/usr/bin/python3
"""Dev-only. phase_renoise.py FWHM TRUTH OUTDIR NREAL: the same stars (truth x, y, flux) with new noise realizations (starfield's model)."""
import sys, os, subprocess, json, math
import numpy as np
sys.path.insert(0, '/work/shared/tools')
import starfield as sf, find_bench as fb
from astropy.io import fits
from scipy.spatial import cKDTree
fwhm, truthf, out, nreal = float(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
os.makedirs(out, exist_ok=True)
t = fb.load_truth(truthf)
n = 4096; sigma = fwhm * sf.FWHM_TO_SIGMA; half = int(math.ceil(6.0 * sigma)) + 1
img0 = np.zeros((n, n))
for x, y, f in zip(t['x'], t['y'], t['flux']):
    st, ix0, iy0 = sf.gaussian_stamp(x, y, sigma, half); sf.add_stamp(img0, st * f, ix0, iy0)
img0 += 100.0
xy = np.column_stack([t['x'], t['y']]); vis = t['snr'] >= 3
d2, _ = cKDTree(xy[vis]).query(xy, k=2); dn = np.where(vis, d2[:, 1], d2[:, 0])
edge = np.minimum.reduce([t['x'] + 0.5, n - 0.5 - t['x'], t['y'] + 0.5, n - 0.5 - t['y']])
t['isolated'] = (dn > 3.0 * fwhm) & (edge >= 3.0 * fwhm)
cli = os.environ.get('CLI', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../src/Cli/bin/Release/net10.0/tweakdrizzle.dll'))
for r in range(nreal):
    rng = np.random.default_rng(1000 + r)
    img = rng.poisson(img0).astype(np.float64) + rng.normal(0.0, 5.0, img0.shape)
    fits.PrimaryHDU(img.astype(np.float32)).writeto(out + '/n.fits', overwrite=True)
    subprocess.run(['dotnet', cli, 'find', out + '/n.fits', '--mode', 'refined', '--fwhm', str(fwhm), '--nsigma', '5', '--out', out + '/n.csv'], check=True, capture_output=True)
    import csv
    rows = list(csv.DictReader(open(out + '/n.csv')))
    x = np.array([float(q['xcentroid']) for q in rows]); y = np.array([float(q['ycentroid']) for q in rows])
    res = fb.evaluate('n', x, y, t, np.zeros((0, 2)), 1.0, 0.0)
    ti, di = fb.match(t['x'], t['y'], x, y, 1.0)
    np.savez(out + '/real%d.npz' % r, tx=t['x'][ti], ty=t['y'][ti], ex=x[di] - t['x'][ti], ey=y[di] - t['y'][ti], snr=t['snr'][ti], flux=t['flux'][ti], iso=t['isolated'][ti])
    print(json.dumps({'real': r, 'phase': res['centroid']['bright']['phase_bias_max'], 'rms_bright': res['centroid']['bright']['rms_r'], 'snr50': res['snr_at_50%_completeness']}), flush=True)
