#!/usr/bin/python3
"""Dev-only. phase_summ.py DIR FWHM TAG...: mean ± sd [min..max] over the campaign fields of the find_bench bars."""
import json,glob,sys,numpy as np
d, f = sys.argv[1], sys.argv[2]
for tag in sys.argv[3:]:
  r=[json.load(open(x)) for x in sorted(glob.glob('%s/f%s_s*.%s.json'%(d,f,tag)))]
  out=[]
  for k in ('snr50','snr90','rms_bright','phase','det','matched','n_bright'):
    v=np.array([x[k] for x in r],float); out.append('%s %.4f±%.4f [%.4f..%.4f]'%(k,v.mean(),v.std(ddof=1),v.min(),v.max()))
  fa=np.array([x['fp']['near_artifact'] for x in r]); ft=np.array([x['fp']['total'] for x in r])
  print(tag, len(r), '; '.join(out), 'fp_art mean %.2f max %d; fp total mean %.1f'%(fa.mean(),fa.max(),ft.mean()))
