# Regenerates the extra WCS fixtures with astropy 5.2.1 (Debian python3-astropy): python3 make_extra_fixtures.py
# Each NAME.xy.csv holds random pixels (0-based) and astropy all_pix2world; NAME.radec.csv holds sky positions of
# other random pixels (x_true, y_true) and astropy all_world2pix(tolerance=1e-12) (x_ref, y_ref).
import warnings, numpy as np, csv; warnings.simplefilter("ignore")
from astropy.io import fits
from astropy.wcs import WCS
rng=np.random.default_rng(5)
def base(ct1,ct2,crval,crpix,naxis):
    return [("NAXIS",2),("NAXIS1",naxis[0]),("NAXIS2",naxis[1]),("CTYPE1",ct1),("CTYPE2",ct2),("CRPIX1",crpix[0]),("CRPIX2",crpix[1]),("CRVAL1",crval[0]),("CRVAL2",crval[1])]
cases={}
s=0.27/3600
# a) TPV order 7 with all radial terms
c=base("RA---TPV","DEC--TPV",(210.3,-33.2),(1024.5,2048.5),(2048,4096))+[("CD1_1",-s),("CD1_2",1e-7),("CD2_1",2e-7),("CD2_2",s)]
for ax in (1,2):
    for k in range(40):
        v = 1.0 if k==1 else 0.0
        if k not in (1,):
            v = rng.normal()*[0.0,0,1e-3,1e-4,1e-3,1e-3,1e-3,5e-3,5e-3,5e-3,5e-3,2e-3][k] if k<12 else rng.normal()*1e-2
        c.append((f"PV{ax}_{k}",float(v)))
cases["tpv7"]=c
# b) SIP order 6 with AP/BP, PC+CDELT
c=base("RA---TAN-SIP","DEC--TAN-SIP",(53.1,-27.8),(1000.3,1020.7),(2048,2048))+[("CDELT1",-0.03/3600),("CDELT2",0.03/3600),("PC1_1",0.9),("PC1_2",-0.43),("PC2_1",0.43),("PC2_2",0.9)]
c.append(("A_ORDER",6)); c.append(("B_ORDER",6))
for p in range(7):
    for q in range(7-p):
        if p+q>=2:
            sc=2.0/1024.0**(p+q)
            c.append((f"A_{p}_{q}",float(rng.normal()*sc))); c.append((f"B_{p}_{q}",float(rng.normal()*sc)))
cases["sip6_pc"]=c
# c) TAN with LONPOLE 170, LATPOLE
c=base("RA---TAN","DEC--TAN",(120.0,45.0),(512,512),(1024,1024))+[("CD1_1",-1e-4),("CD1_2",0.),("CD2_1",0.),("CD2_2",1e-4),("LONPOLE",170.0),("LATPOLE",45.)]
cases["tan_lonpole170"]=c
# d) PC without CDELT
c=base("RA---TAN","DEC--TAN",(10.0,-5.0),(100.5,80.5),(200,160))+[("PC1_1",-2e-4),("PC1_2",1e-5),("PC2_1",1e-5),("PC2_2",2e-4)]
cases["tan_pc_nocdelt"]=c
# e) CD + CDELT (CDELT ignored)
c=base("RA---TAN","DEC--TAN",(300.0,20.0),(50,60),(100,120))+[("CD1_1",-3e-4),("CD1_2",1e-5),("CD2_1",-2e-5),("CD2_2",3e-4),("CDELT1",5.0),("CDELT2",5.0)]
cases["tan_cd_cdelt"]=c
# f) CROTA2 with flipped CDELT
c=base("RA---TAN","DEC--TAN",(180.0,-60.0),(300,200),(600,400))+[("CDELT1",1e-4),("CDELT2",-1.5e-4),("CROTA2",-123.4)]
cases["tan_crota_flip"]=c
# g) south pole region
c=base("RA---TAN","DEC--TAN",(75.0,-89.95),(1024,1024),(2048,2048))+[("CD1_1",-5e-5),("CD1_2",0.),("CD2_1",0.),("CD2_2",5e-5)]
cases["tan_south"]=c
# h) galactic
c=base("GLON-TAN","GLAT-TAN",(0.001,0.5),(512,512),(1024,1024))+[("CD1_1",-1e-3),("CD1_2",0.),("CD2_1",0.),("CD2_2",1e-3)]
cases["tan_galactic"]=c
# i) TPV with CRPIX on chip, PV0 offsets, order 5 with r^5
c=base("RA---TPV","DEC--TPV",(150.0,2.0),(1000,2000),(2048,4096))+[("CD1_1",0.),("CD1_2",7.3e-5),("CD2_1",-7.3e-5),("CD2_2",0.)]
for ax in (1,2):
    for k in range(24):
        v = 1.0 if k==1 else rng.normal()*(3e-3 if k!=0 else 1e-3)
        c.append((f"PV{ax}_{k}",float(v)))
cases["tpv5_rot"]=c
# j) SIP order 3 no AP/BP, CD, crval2 ~ 88
c=base("RA---TAN-SIP","DEC--TAN-SIP",(10.0,88.0),(2048,1024),(4096,2048))+[("CD1_1",-1.4e-5),("CD1_2",2e-6),("CD2_1",2e-6),("CD2_2",1.4e-5),("A_ORDER",3),("B_ORDER",3),("A_2_0",1e-6),("A_0_2",-3e-6),("A_1_1",2e-6),("A_3_0",1e-10),("B_2_0",-2e-6),("B_1_1",1e-6),("B_0_3",-1e-10),("B_1_2",2e-11)]
cases["sip3_dec88"]=c
for name,cards in cases.items():
    h=fits.Header()
    for k,v in cards: h[k]=v
    open(f"{name}.hdr","w").write("\n".join(str(cd) for cd in h.cards)+"\nEND\n")
    w=WCS(h)
    n1,n2=h["NAXIS1"],h["NAXIS2"]
    x=rng.uniform(-0.5,n1-0.5,300); y=rng.uniform(-0.5,n2-0.5,300)
    ra,dec=w.all_pix2world(x,y,0)
    with open(f"{name}.xy.csv","w") as f:
        f.write("x,y,ra_ref,dec_ref\n")
        for a,b,r,d in zip(x,y,ra,dec): f.write(f"{a!r},{b!r},{r!r},{d!r}\n")
    x2=rng.uniform(-0.5,n1-0.5,300); y2=rng.uniform(-0.5,n2-0.5,300)
    r2,d2=w.all_pix2world(x2,y2,0)
    try:
        xx,yy=w.all_world2pix(r2,d2,0,tolerance=1e-12,maxiter=1000)
    except Exception as e:
        xx,yy=np.full(300,np.nan),np.full(300,np.nan); print(name,"world2pix failed",type(e).__name__)
    with open(f"{name}.radec.csv","w") as f:
        f.write("ra,dec,x_ref,y_ref,x_true,y_true\n")
        for a,b,p,q,t,u in zip(r2,d2,xx,yy,x2,y2): f.write(f"{a!r},{b!r},{p!r},{q!r},{t!r},{u!r}\n")
print("ok")
