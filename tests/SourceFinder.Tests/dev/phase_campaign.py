#!/usr/bin/python3
"""Dev-only. phase_campaign.py OUTDIR FWHM SEED... [-- extra starfield.py args]: for each seed generate the research
note's 4096² field (starfield.py; existing files are reused), run `tweakdrizzle find --mode refined --nsigma 5`
(env CLI = dll, TAG = file tag, default r), score with find_bench.evaluate and store the matched errors
(OUTDIR/f<FWHM>_s<SEED>.<TAG>.npz/.json) for phase_pool.py / phase_nullstat.py."""
import csv, sys, os, subprocess, json
import numpy as np
sys.path.insert(0, '/work/shared/tools')
import find_bench as fb
from scipy.spatial import cKDTree
args = sys.argv[1:]
extra = []
if '--' in args:
    k = args.index('--'); extra = args[k+1:]; args = args[:k]
out, fwhm, seeds = args[0], float(args[1]), [int(s) for s in args[2:]]
cli = os.environ.get('CLI', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../src/Cli/bin/Release/net10.0/tweakdrizzle.dll'))
tag = os.environ.get('TAG', 'r')
os.makedirs(out, exist_ok=True)
size = 4096
for a in range(len(extra)):
    if extra[a] == '--size': size = int(extra[a+1].split('x')[0])
for seed in seeds:
    base = '%s/f%g_s%d' % (out, fwhm, seed)
    if not os.path.exists(base + '.txt'):
        gen = ['/usr/bin/python3', '/work/shared/tools/starfield.py', '--size', '4096x4096', '--nstars', '10000', '--seed', str(seed),
               '--cosmic-rays', '800', '--hot-pixels', '400', '--fwhm', str(fwhm), '--out', base + '.fits', '--truth', base + '.txt'] + extra
        subprocess.run(gen, check=True, capture_output=True)
    if not os.path.exists(base + '.fits'):
        raise SystemExit('fits gone for ' + base)
    csvf = base + '.%s.csv' % tag
    subprocess.run(['dotnet', cli, 'find', base + '.fits', '--mode', 'refined', '--fwhm', str(fwhm), '--nsigma', '5', '--out', csvf], check=True, capture_output=True)
    truth = fb.load_truth(base + '.txt')
    nx = ny = size
    xy = np.column_stack([truth['x'], truth['y']])
    vis = truth['snr'] >= 3
    d2, _ = cKDTree(xy[vis]).query(xy, k=2)
    dn = np.where(vis, d2[:, 1], d2[:, 0])
    edge = np.minimum.reduce([truth['x'] + 0.5, nx - 0.5 - truth['x'], truth['y'] + 0.5, ny - 0.5 - truth['y']])
    truth['isolated'] = (dn > 3.0 * fwhm) & (edge >= 3.0 * fwhm)
    art = fb.load_artifacts(base + '.txt.artifacts.txt')
    rows = list(csv.DictReader(open(csvf)))
    x = np.array([float(r['xcentroid']) for r in rows]); y = np.array([float(r['ycentroid']) for r in rows])
    res = fb.evaluate(csvf, x, y, truth, art, 1.0, 0.0)
    ti, di = fb.match(truth['x'], truth['y'], x, y, 1.0)
    np.savez(base + '.%s.npz' % tag, tx=truth['x'][ti], ty=truth['y'][ti], ex=x[di] - truth['x'][ti], ey=y[di] - truth['y'][ti],
             snr=truth['snr'][ti], flux=truth['flux'][ti], iso=truth['isolated'][ti])
    # artifact acceptance: CR tracks / hot pixels with a detection within 2 px
    arts = np.loadtxt(base + '.txt.artifacts.txt', dtype=str, ndmin=2)
    cen = res['centroid']
    summ = {'seed': seed, 'fwhm': fwhm, 'det': res['detections'], 'matched': res['matched'], 'fp': res['false_positives'],
            'snr50': res['snr_at_50%_completeness'], 'snr90': res['snr_at_90%_completeness'],
            'rms_bright': cen['bright']['rms_r'], 'phase': cen['bright'].get('phase_bias_max'), 'n_bright': cen['bright']['n']}
    print(json.dumps(summ), flush=True)
    with open(base + '.%s.json' % tag, 'w') as fh: json.dump(summ, fh)
