#!/usr/bin/python3
"""Dev-only. phase_arts.py TAG (run in a phase_campaign.py OUTDIR's parent with rand/): hot-pixel and CR-track
detections (unmatched detections within 2 px of an artifact pixel) per field."""
import sys, csv, glob, numpy as np
sys.path.insert(0,'/work/shared/tools'); import find_bench as fb
from scipy.spatial import cKDTree
for fw in ('1.8','2.5'):
  hot=[];cr=[]
  for f in sorted([g for g in glob.glob('rand/f%s_s*.txt'%fw) if not g.endswith('artifacts.txt')]):
    t=fb.load_truth(f); c=f.replace('.txt','.%s.csv'%sys.argv[1])
    rows=list(csv.DictReader(open(c))); x=np.array([float(r['xcentroid']) for r in rows]); y=np.array([float(r['ycentroid']) for r in rows])
    ti,di=fb.match(t['x'],t['y'],x,y,1.0); un=np.ones(len(x),bool); un[di]=False
    a=np.loadtxt(f+'.artifacts.txt',dtype=str); xy=a[:,:2].astype(float); kind=a[:,2]
    d,i=cKDTree(xy).query(np.column_stack([x[un],y[un]]))
    near=d<=2.0
    hot.append(int((near&(kind[i]=='hot')).sum())); cr.append(int((near&(kind[i]=='cr')).sum()))
  print('F%s %s: hot-pixel detections per field max %d (total %d over %d fields); CR detections per field mean %.1f max %d of 800 tracks'%(fw,sys.argv[1],max(hot),sum(hot),len(hot),np.mean(cr),max(cr)))
