"""Dev-only helper: Cramér–Rao bound of the x position of pixel-integrated Gaussian stars (flux and x free,
variance sky + read² + source per pixel)."""
import numpy as np
from scipy.special import erf
def crb(fwhm, flux, tx, ty, sky=100.0, rn=5.0):
    sig = fwhm / 2.3548200450309493
    out = np.empty(len(flux)); i = np.arange(-8, 9); s2 = sig * np.sqrt(2)
    pdf = lambda z: np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
    for k in range(len(flux)):
        ph_x = tx[k] - np.floor(tx[k] + 0.5); ph_y = ty[k] - np.floor(ty[k] + 0.5)
        gx = 0.5 * (erf((i + 0.5 - ph_x) / s2) - erf((i - 0.5 - ph_x) / s2))
        gy = 0.5 * (erf((i + 0.5 - ph_y) / s2) - erf((i - 0.5 - ph_y) / s2))
        dgx = -(pdf((i + 0.5 - ph_x) / sig) - pdf((i - 0.5 - ph_x) / sig)) / sig
        p = np.outer(gy, gx); dpx = np.outer(gy, dgx); F = flux[k]
        v = sky + rn * rn + F * p
        a = np.sum(p * p / v); b = np.sum(F * p * dpx / v); c = np.sum((F * dpx) ** 2 / v)
        out[k] = np.sqrt(a / (a * c - b * b))
    return out
