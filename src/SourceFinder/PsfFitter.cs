namespace TweakDrizzle.SourceFinder;

/// <summary>
/// Per-source measurement of the refined detector: least-squares fit of a pixel-integrated circular Gaussian PSF
/// (flux, x, y) by Gauss–Newton, and the windowed-moment shape test that rejects hot pixels and cosmic rays.
/// </summary>
internal sealed class PsfFitter(double psfSigma, int halfBox, double poissonFactor)
{
    private const int MaxIterations = 12;

    /// <summary>Rounds of outlier rejection after the first fit.</summary>
    private const int MaxClipRounds = 4;

    /// <summary>Tolerance ε of the outlier test as a fraction of the local light (smooth PSF-model mismatch of that size is no outlier).</summary>
    private const double ModelTolerance = 0.1;

    public DetectedSource? Measure(DetectionImage image, float[] sub, float[] filt, int nx, int ny, int px, int py,
        double sigma, double g2, RefinedStarFinderOptions o)
    {
        int x0b = Math.Max(0, px - halfBox), x1b = Math.Min(nx - 1, px + halfBox);
        int y0b = Math.Max(0, py - halfBox), y1b = Math.Min(ny - 1, py + halfBox);
        int w = x1b - x0b + 1, h = y1b - y0b + 1;
        var d = new double[w * h];
        var use = new bool[w * h];
        bool saturated = false, badInBox = false;
        float[] raw = image.Data;
        bool[]? mask = image.BadPixels;
        int nUsed = 0;
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < w; i++)
            {
                int p = ((y0b + j) * nx) + x0b + i;
                float v = raw[p];
                bool good = float.IsFinite(v) && (mask is null || !mask[p]);
                if (!good)
                {
                    badInBox = true;
                    continue;
                }

                if (o.DataMax is { } dm && v >= dm)
                {
                    if (Math.Abs(x0b + i - px) <= 1 && Math.Abs(y0b + j - py) <= 1)
                    {
                        saturated = true;
                    }

                    continue;
                }

                d[(j * w) + i] = sub[p];
                use[(j * w) + i] = true;
                nUsed++;
            }
        }

        if (nUsed < 6)
        {
            return null;
        }

        // Starting point: parabola through the matched-filter peak, flux from the filter.
        int pc = (py * nx) + px;
        double f0 = filt[pc];
        double fxm = px > 0 ? filt[pc - 1] : f0, fxp = px < nx - 1 ? filt[pc + 1] : f0;
        double fym = py > 0 ? filt[pc - nx] : f0, fyp = py < ny - 1 ? filt[pc + nx] : f0;
        double sx = ParabolaOffset(fxm, f0, fxp), sy = ParabolaOffset(fym, f0, fyp);
        double startX = px + sx, startY = py + sy;
        double startA = f0 / (g2 * g2);

        double xc = startX, yc = startY, a = startA;
        var gx = new double[w];
        var dgx = new double[w];
        var gy = new double[h];
        var dgy = new double[h];
        bool converged = Fit(d, use, x0b, y0b, w, h, px, py, sigma, gx, dgx, gy, dgy, ref a, ref xc, ref yc, out double c00);
        SourceQuality flags = SourceQuality.None;
        if (!converged || !(a > 0) || Math.Abs(xc - px) > 1.0 || Math.Abs(yc - py) > 1.0 || double.IsNaN(c00))
        {
            if (!saturated && o.RejectArtifacts)
            {
                return null;   // no PSF-like source here: noise ripple, artifact or blend residue
            }

            flags |= SourceQuality.FitFailed;
            xc = startX;
            yc = startY;
            a = startA;
            c00 = sigma * sigma / (g2 * g2);
        }

        // Shape: windowed second moments about the fitted centre.
        double se2 = (psfSigma * psfSigma) + (1.0 / 12.0);
        double sw2 = se2;
        double sD = 0, sXX = 0, sYY = 0, sXY = 0, sW2 = 0, sW2u2 = 0, sW2u4 = 0;
        for (int j = 0; j < h; j++)
        {
            double v = y0b + j - yc;
            for (int i = 0; i < w; i++)
            {
                int k = (j * w) + i;
                if (!use[k])
                {
                    continue;
                }

                double u = x0b + i - xc;
                double r2 = (u * u) + (v * v);
                double wt = Math.Exp(-0.5 * r2 / sw2);
                double dv = d[k];
                sD += wt * dv;
                sXX += wt * dv * u * u;
                sYY += wt * dv * v * v;
                sXY += wt * dv * u * v;
                sW2 += wt * wt;
                sW2u2 += wt * wt * r2 * 0.5;
                sW2u4 += wt * wt * r2 * r2 * 0.375;
            }
        }

        double widthRatio = double.NaN, ellipticity = double.NaN, fwhm = double.NaN;
        if (sD > 0)
        {
            double mxx = sXX / sD, myy = sYY / sD, mxy = sXY / sD;
            double tr = 0.5 * (mxx + myy), det = Math.Sqrt((0.25 * (mxx - myy) * (mxx - myy)) + (mxy * mxy));
            double lmin = tr - det, lmax = tr + det;
            double lIntMin = Intrinsic(lmin, sw2), lIntMax = Intrinsic(lmax, sw2);
            widthRatio = Math.Sqrt(Math.Max(0, lIntMin) / se2);
            ellipticity = lIntMax > 0 ? 1 - Math.Sqrt(Math.Max(0, lIntMin) / lIntMax) : double.NaN;
            fwhm = 2.3548200450309493 * Math.Sqrt(Math.Max(0, 0.5 * (lIntMin + lIntMax)));

            // Noise of one moment (background noise only), first order.
            double m = tr;
            double varM = sigma * sigma * (sW2u4 - (2 * m * sW2u2) + (m * m * sW2)) / (sD * sD);
            double errM = Math.Sqrt(Math.Max(varM, 0));
            if (o.RejectArtifacts && !saturated)
            {
                // Under the star hypothesis the observed minor moment is about se2·sw2/(se2 + sw2).
                double mStar = se2 * sw2 / (se2 + sw2);
                bool tooSharp = widthRatio < o.MinWidthRatio && (mStar - lmin) > 3.0 * errM;
                bool tooElongated = ellipticity > o.MaxEllipticity && (lmax - lmin) > 4.0 * errM;
                if (tooSharp || tooElongated || double.IsNaN(widthRatio))
                {
                    return null;
                }
            }
        }
        else if (o.RejectArtifacts && !saturated)
        {
            return null;
        }

        // Robust refinement (accepted sources only, so the artifact decision above is unchanged): pixels that stand out
        // of their neighbourhood in the residuals by more than ClipSigma (cosmic-ray hits, hot pixels on a star) are
        // left out and the star refitted from the current solution, a few rounds at most.
        if (converged && (flags & SourceQuality.FitFailed) == 0 && o.ClipSigma > 0)
        {
            nUsed = ClipOutliers(d, use, x0b, y0b, w, h, px, py, sigma, o.ClipSigma, gx, dgx, gy, dgy, nUsed,
                ref a, ref xc, ref yc, ref c00, out bool clipped);
            if (clipped)
            {
                flags |= SourceQuality.PixelsRejected;
            }
        }

        double varFlux = c00;
        double fluxErr = Math.Sqrt(Math.Max(varFlux, 0));
        if (saturated)
        {
            flags |= SourceQuality.Saturated;
        }

        if (badInBox)
        {
            flags |= SourceQuality.BadPixelsInBox;
        }

        if (w < (2 * halfBox) + 1 || h < (2 * halfBox) + 1)
        {
            flags |= SourceQuality.NearEdge;
        }

        return new DetectedSource
        {
            X = xc,
            Y = yc,
            Flux = a,
            FluxError = fluxErr,
            Snr = a / fluxErr,
            Mag = a > 0 ? -2.5 * Math.Log10(a) : double.NaN,
            Peak = sub[pc],
            Sky = raw[pc] - sub[pc],
            Sharpness = widthRatio,
            Roundness1 = ellipticity,
            Roundness2 = double.NaN,
            Fwhm = fwhm,
            Npix = nUsed,
            Flags = flags,
        };
    }

    /// <summary>
    /// Gauss–Newton fit of flux and centre over the usable box pixels, inverse-variance weights σ² + κ·model.
    /// Returns whether the steps converged; <paramref name="c00"/> is the flux variance from the normal matrix.
    /// </summary>
    private bool Fit(double[] d, bool[] use, int x0b, int y0b, int w, int h, int px, int py, double sigma,
        double[] gx, double[] dgx, double[] gy, double[] dgy, ref double a, ref double xc, ref double yc, out double c00)
    {
        c00 = double.NaN;
        for (int it = 0; it < MaxIterations; it++)
        {
            Profile(x0b, w, xc, gx, dgx);
            Profile(y0b, h, yc, gy, dgy);
            double jaa = 0, jax = 0, jay = 0, jxx = 0, jxy = 0, jyy = 0, ra = 0, rx = 0, ry = 0;
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    int k = (j * w) + i;
                    if (!use[k])
                    {
                        continue;
                    }

                    double pa = gx[i] * gy[j];
                    double pxd = a * dgx[i] * gy[j];
                    double pyd = a * gx[i] * dgy[j];
                    double model = a * pa;
                    double res = d[k] - model;

                    // Inverse-variance weights: sky noise plus the source's own Poisson noise.
                    double wt = 1.0 / ((sigma * sigma) + (poissonFactor * Math.Max(model, 0.0)));
                    jaa += wt * pa * pa;
                    jax += wt * pa * pxd;
                    jay += wt * pa * pyd;
                    jxx += wt * pxd * pxd;
                    jxy += wt * pxd * pyd;
                    jyy += wt * pyd * pyd;
                    ra += wt * pa * res;
                    rx += wt * pxd * res;
                    ry += wt * pyd * res;
                }
            }

            if (!Solve3(jaa, jax, jay, jxx, jxy, jyy, ra, rx, ry, out double da, out double ddx, out double ddy, out c00))
            {
                return false;
            }

            ddx = Math.Clamp(ddx, -0.5, 0.5);
            ddy = Math.Clamp(ddy, -0.5, 0.5);
            a += da;
            xc += ddx;
            yc += ddy;
            if (!(a > 0) || Math.Abs(xc - px) > 1.5 || Math.Abs(yc - py) > 1.5)
            {
                return false;
            }

            if (Math.Abs(ddx) < 1e-6 && Math.Abs(ddy) < 1e-6)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Leaves out the pixels whose residual from the fitted PSF stands above the median residual of their usable
    /// 8-neighbours by more than <paramref name="clipSigma"/> times √(σ² + κ·model + (ε·L)²), L = max(model, median
    /// neighbour data) (ε = <see cref="ModelTolerance"/>: smooth PSF-model mismatch in cores and wings scales with the
    /// local light and is not clipped), and refits; per round every pixel above max(clipSigma, half the worst score)
    /// goes, at most <see cref="MaxClipRounds"/> rounds. A refit that fails, or leaves fewer than 6 pixels, restores the previous
    /// solution. Returns the number of pixels used.
    /// </summary>
    private int ClipOutliers(double[] d, bool[] use, int x0b, int y0b, int w, int h, int px, int py, double sigma,
        double clipSigma, double[] gx, double[] dgx, double[] gy, double[] dgy, int nUsed,
        ref double a, ref double xc, ref double yc, ref double c00, out bool clipped)
    {
        clipped = false;
        var r = new double[d.Length];
        var e = new double[d.Length];
        var m = new double[d.Length];
        var trial = new bool[d.Length];
        Span<double> nbE = stackalloc double[8];
        Span<double> nbD = stackalloc double[8];
        for (int round = 0; round < MaxClipRounds; round++)
        {
            Profile(x0b, w, xc, gx, dgx);
            Profile(y0b, h, yc, gy, dgy);
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    int k = (j * w) + i;
                    m[k] = a * gx[i] * gy[j];
                    e[k] = d[k] - m[k];
                }
            }

            double rMax = 0;
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    int k = (j * w) + i;
                    r[k] = 0;
                    // One-sided (artifacts add light; an inflated first fit gives good pixels negative residuals), and
                    // only pixels at least half-way to the threshold in plain noise units are examined: a pixel below
                    // that could only pass on neighbours lying systematically under the model, which is a PSF
                    // mismatch, not an artifact.
                    double plainVar = (sigma * sigma) + (poissonFactor * Math.Max(m[k], 0.0));
                    if (!use[k] || !(e[k] > 0.5 * clipSigma * Math.Sqrt(plainVar)))
                    {
                        continue;
                    }

                    // Local contrast: the residual above the median residual of the usable 8-neighbours, against a
                    // tolerance that follows the local light level (PSF-model mismatch in cores and wings is smooth
                    // and scales with the light; a cosmic-ray or hot pixel stands out of its neighbourhood).
                    int nb = 0;
                    for (int dj = -1; dj <= 1; dj++)
                    {
                        for (int di = -1; di <= 1; di++)
                        {
                            int ii = i + di, jj = j + dj;
                            if ((di != 0 || dj != 0) && ii >= 0 && ii < w && jj >= 0 && jj < h && use[(jj * w) + ii])
                            {
                                nbE[nb] = e[(jj * w) + ii];
                                nbD[nb] = d[(jj * w) + ii];
                                nb++;
                            }
                        }
                    }

                    double medE = 0, level = m[k], varFactor = 1;
                    if (nb >= 3)
                    {
                        medE = Median(nbE[..nb]);
                        level = Math.Max(level, Median(nbD[..nb]));
                        varFactor = 1 + (1.57 / nb);
                    }

                    double tol = ModelTolerance * level;
                    double v = (plainVar + (tol * tol)) * varFactor;
                    r[k] = (e[k] - medE) / Math.Sqrt(v);
                    rMax = Math.Max(rMax, r[k]);
                }
            }

            if (!(rMax > clipSigma))
            {
                break;
            }

            double cut = Math.Max(clipSigma, 0.5 * rMax);
            int left = 0;
            for (int k = 0; k < d.Length; k++)
            {
                trial[k] = use[k] && !(r[k] > cut);
                left += trial[k] ? 1 : 0;
            }

            double a1 = a, x1 = xc, y1 = yc;
            if (left < 6 || !Fit(d, trial, x0b, y0b, w, h, px, py, sigma, gx, dgx, gy, dgy, ref a1, ref x1, ref y1, out double c1)
                || Math.Abs(x1 - px) > 1.0 || Math.Abs(y1 - py) > 1.0)
            {
                break;
            }

            Array.Copy(trial, use, use.Length);
            nUsed = left;
            a = a1;
            xc = x1;
            yc = y1;
            c00 = c1;
            clipped = true;
        }

        return nUsed;
    }

    /// <summary>Median of a few values (sorted in place).</summary>
    private static double Median(Span<double> v)
    {
        for (int i = 1; i < v.Length; i++)
        {
            double x = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > x)
            {
                v[j + 1] = v[j];
                j--;
            }

            v[j + 1] = x;
        }

        int n = v.Length;
        return (n & 1) == 1 ? v[n / 2] : 0.5 * (v[(n / 2) - 1] + v[n / 2]);
    }

    private static double Intrinsic(double m, double sw2)
    {
        if (m <= 0)
        {
            return 0;
        }

        return m >= sw2 * 0.95 ? 19 * sw2 : m * sw2 / (sw2 - m);
    }

    private static double ParabolaOffset(double fm, double f0, double fp)
    {
        double den = fm - (2 * f0) + fp;
        return den < 0 ? Math.Clamp(0.5 * (fm - fp) / den, -0.5, 0.5) : 0.0;
    }

    /// <summary>Pixel fractions and their derivatives with respect to the centre for pixels start..start+n−1.</summary>
    private void Profile(int start, int n, double c, double[] g, double[] dg)
    {
        double inv = 1.0 / psfSigma;
        double zPrev = (start - 0.5 - c) * inv;
        double phiPrev = MatchedFilter.Phi(zPrev), pdfPrev = MatchedFilter.Pdf(zPrev);
        for (int i = 0; i < n; i++)
        {
            double z = (start + i + 0.5 - c) * inv;
            double phi = MatchedFilter.Phi(z), pdf = MatchedFilter.Pdf(z);
            g[i] = phi - phiPrev;
            dg[i] = -(pdf - pdfPrev) * inv;
            phiPrev = phi;
            pdfPrev = pdf;
        }
    }

    /// <summary>Solves the symmetric 3×3 normal equations; also returns (JᵀJ)⁻¹[0,0].</summary>
    private static bool Solve3(double a11, double a12, double a13, double a22, double a23, double a33,
        double b1, double b2, double b3, out double x1, out double x2, out double x3, out double inv11)
    {
        double c11 = (a22 * a33) - (a23 * a23);
        double c12 = (a13 * a23) - (a12 * a33);
        double c13 = (a12 * a23) - (a13 * a22);
        double det = (a11 * c11) + (a12 * c12) + (a13 * c13);
        if (!(Math.Abs(det) > 1e-300) || double.IsNaN(det))
        {
            x1 = x2 = x3 = inv11 = double.NaN;
            return false;
        }

        double c22 = (a11 * a33) - (a13 * a13);
        double c23 = (a12 * a13) - (a11 * a23);
        double c33 = (a11 * a22) - (a12 * a12);
        x1 = ((c11 * b1) + (c12 * b2) + (c13 * b3)) / det;
        x2 = ((c12 * b1) + (c22 * b2) + (c23 * b3)) / det;
        x3 = ((c13 * b1) + (c23 * b2) + (c33 * b3)) / det;
        inv11 = c11 / det;
        return true;
    }
}
