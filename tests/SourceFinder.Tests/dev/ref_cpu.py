#!/usr/bin/python3
"""Dev-only: CPU time (time.process_time) and wall time of the reference detectors exactly as find_bench.py runs
them: photutils DAOStarFinder after float64 sigma_clipped_stats, and SEP Background + extract.
usage: ref_cpu.py IMAGE FWHM [THRESH=5] [REPEAT=2]"""
import sys, time, warnings, math
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
sys.path.insert(0, '/work/shared/tools')
import find_bench as fb
img, fwhm = sys.argv[1], float(sys.argv[2])
thresh = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
rep = int(sys.argv[4]) if len(sys.argv) > 4 else 2
data = fits.getdata(img).astype(np.float32)
from astropy.stats import sigma_clipped_stats
from photutils.detection import DAOStarFinder
import sep

def timed(fn):
    bw = bc = 1e9
    for _ in range(rep):
        w0, c0 = time.perf_counter(), time.process_time()
        v = fn()
        bw = min(bw, time.perf_counter() - w0); bc = min(bc, time.process_time() - c0)
    return v, bw, bc

def dao():
    mean, med, std = sigma_clipped_stats(data.astype(np.float64), sigma=3.0, maxiters=5)
    return DAOStarFinder(threshold=thresh * std, fwhm=fwhm)(data - np.float32(med))
t, w, c = timed(dao)
print('photutils dao+sky: wall %.3f s, cpu %.3f s, %d rows' % (w, c, len(t)))
sep.set_extract_pixstack(max(300000, data.size // 4)); sep.set_sub_object_limit(4096)
kern = fb.gaussian_kernel(fwhm); fac = float(np.sqrt((kern ** 2).sum()) / kern.sum())
def run_sep():
    bkg = sep.Background(data); d = data - bkg.back()
    return sep.extract(d, thresh * fac, err=bkg.globalrms, filter_kernel=kern, minarea=5)
o, w, c = timed(run_sep)
print('sep background+extract: wall %.3f s, cpu %.3f s, %d rows' % (w, c, len(o)))
