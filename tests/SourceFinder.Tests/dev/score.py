#!/usr/bin/python3
"""Dev-only: score a tweakdrizzle catalog CSV against a starfield truth with find_bench.evaluate.
usage: score.py IMAGE TRUTH FWHM CSV [CSV...]"""
import csv, json, sys
import numpy as np
sys.path.insert(0, '/work/shared/tools')
import find_bench as fb
from astropy.io import fits
from scipy.spatial import cKDTree

img, truthf, fwhm = sys.argv[1], sys.argv[2], float(sys.argv[3])
ny, nx = fits.getdata(img).shape
truth = fb.load_truth(truthf)
xy = np.column_stack([truth['x'], truth['y']])
vis = truth['snr'] >= 3
d2, _ = cKDTree(xy[vis]).query(xy, k=2)
dn = np.where(vis, d2[:, 1], d2[:, 0])
edge = np.minimum.reduce([truth['x'] + 0.5, nx - 0.5 - truth['x'], truth['y'] + 0.5, ny - 0.5 - truth['y']])
truth['isolated'] = (dn > 3.0 * fwhm) & (edge >= 3.0 * fwhm)
art = fb.load_artifacts(truthf + '.artifacts.txt')
for c in sys.argv[4:]:
    rows = list(csv.DictReader(open(c)))
    x = np.array([float(r['xcentroid']) for r in rows]); y = np.array([float(r['ycentroid']) for r in rows])
    res = fb.evaluate(c, x, y, truth, art, 1.0, 0.0)
    cen = res['centroid']
    print(json.dumps({'csv': c, 'det': res['detections'], 'matched': res['matched'], 'fp': res['false_positives'],
                      'snr50': res['snr_at_50%_completeness'], 'snr90': res['snr_at_90%_completeness'],
                      'comp': {k: v[0] for k, v in res['completeness_by_snr'].items()},
                      'rms_faint': cen['faint']['rms_r'], 'rms_med': cen['medium']['rms_r'], 'rms_bright': cen['bright']['rms_r'],
                      'phase': cen['bright'].get('phase_bias_max'), 'n_bright': cen['bright']['n']}))
