using TweakDrizzle.Matching;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.WcsFit;

/// <summary>A corrected chip WCS and how well it reproduces the intended mapping.</summary>
/// <param name="Wcs">The corrected WCS: new CRVAL1/2 and CD; CRPIX, SIP/TPV and metadata unchanged.</param>
/// <param name="MaxErrorPixels">Largest distance, in chip pixels, between the corrected WCS and the intended mapping over a grid on the chip.</param>
public sealed record CorrectedWcs(FitsWcs Wcs, double MaxErrorPixels);

/// <summary>
/// Applies a fitted correction to chip WCSs, as TweakReg's <c>updatehdr</c> does: only CRVAL and the CD matrix
/// change; CRPIX and the SIP/TPV distortion are kept.
/// </summary>
/// <remarks>
/// <para>The correction <c>T</c> (input → reference, <c>ref = M · in + t</c>) was fitted in the pixel frame of
/// <c>referenceFrame</c>, a TAN WCS (the reference tangent plane). The intended corrected sky position of chip pixel
/// <c>p</c> is <c>referenceFrame.PixelToWorld(T(referenceFrame.WorldToPixel(chip.PixelToWorld(p))))</c>.</para>
/// <para>New CRVAL: the intended position of CRPIX. New CD: least squares over a grid of chip pixels in the new
/// projection plane (exact in one step for TAN and TAN-SIP; Gauss–Newton for TPV). The result is checked against
/// the intended mapping on a denser grid and the largest error is returned. Pure and thread-safe.</para>
/// </remarks>
public static class WcsCorrection
{
    private const int FitGrid = 9;
    private const int CheckGrid = 17;

    /// <summary>Corrects one chip WCS.</summary>
    /// <param name="chip">The chip's current WCS.</param>
    /// <param name="referenceFrame">The TAN WCS whose pixel frame the correction was fitted in.</param>
    /// <param name="correction">The fitted map input → reference in that frame.</param>
    /// <param name="width">Chip width in pixels (NAXIS1); 0: from the WCS metadata.</param>
    /// <param name="height">Chip height in pixels (NAXIS2); 0: from the WCS metadata.</param>
    /// <returns>The corrected WCS and its largest deviation from the intended mapping.</returns>
    /// <exception cref="WcsFitException">The chip size is unknown or the correction cannot be represented.</exception>
    public static CorrectedWcs Apply(FitsWcs chip, FitsWcs referenceFrame, Affine2D correction, int width = 0, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(referenceFrame);
        int w = width > 0 ? width : (int)chip.Metadata.Naxis1;
        int h = height > 0 ? height : (int)chip.Metadata.Naxis2;
        if (w <= 0 || h <= 0)
        {
            throw new WcsFitException("the chip size is unknown: give its width and height (NAXIS1, NAXIS2)");
        }

        (double x0, double y0) = chip.ReferencePixel;
        (double ra0, double dec0) = Intended(chip, referenceFrame, correction, x0, y0);
        if (!double.IsFinite(ra0) || !double.IsFinite(dec0))
        {
            throw new WcsFitException("the corrected reference point is not on the reference tangent plane");
        }

        // Grid of chip pixels and their intended positions in the new projection plane (about the new CRVAL).
        var gx = new List<double>();
        var gy = new List<double>();
        for (int j = 0; j < FitGrid; j++)
        {
            for (int i = 0; i < FitGrid; i++)
            {
                gx.Add((w - 1) * i / (double)(FitGrid - 1));
                gy.Add((h - 1) * j / (double)(FitGrid - 1));
            }
        }

        int n = gx.Count;
        FitsWcs template = chip.WithCorrection(ra0, dec0, chip.Cd);
        var txi = new double[n];
        var teta = new double[n];
        var oxi = new double[n];
        var oeta = new double[n];
        for (int k = 0; k < n; k++)
        {
            (double ra, double dec) = Intended(chip, referenceFrame, correction, gx[k], gy[k]);
            (txi[k], teta[k]) = template.WorldToIntermediate(ra, dec);
            (oxi[k], oeta[k]) = chip.PixelToIntermediate(gx[k], gy[k]);
        }

        // Linear map old plane → new plane (no offset: both planes are centred on the corrected reference point).
        Matrix2x2 a = PlaneMap(oxi, oeta, txi, teta);
        Matrix2x2 cd = a * chip.Cd;
        FitsWcs result = chip.WithCorrection(ra0, dec0, cd);
        if (chip.Distortion == DistortionKind.Tpv)
        {
            result = GaussNewton(result, gx, gy, txi, teta);
        }

        double err = MaxError(result, chip, referenceFrame, correction, w, h);
        return new CorrectedWcs(result, err);
    }

    /// <summary>Corrects every chip of one exposure with the same correction (one fit per exposure).</summary>
    /// <param name="chips">The chips' WCSs with their sizes.</param>
    /// <param name="referenceFrame">The reference tangent-plane WCS.</param>
    /// <param name="correction">The exposure's fitted correction.</param>
    /// <returns>The corrected WCSs in the same order.</returns>
    public static IReadOnlyList<CorrectedWcs> ApplyToExposure(IReadOnlyList<(FitsWcs Wcs, int Width, int Height)> chips, FitsWcs referenceFrame, Affine2D correction)
    {
        ArgumentNullException.ThrowIfNull(chips);
        return chips.Select(c => Apply(c.Wcs, referenceFrame, correction, c.Width, c.Height)).ToArray();
    }

    /// <summary>
    /// TweakReg's RMS_RA and RMS_DEC in degrees: the sky offsets of the reference frame's reference pixel moved by
    /// (XRMS, YRMS), without the cos δ factor.
    /// </summary>
    /// <param name="fit">The fit.</param>
    /// <param name="referenceFrame">The reference tangent-plane WCS.</param>
    /// <returns>(RMS_RA, RMS_DEC) in degrees.</returns>
    public static (double RmsRa, double RmsDec) SkyRms(FitResult fit, FitsWcs referenceFrame)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(referenceFrame);
        (double x0, double y0) = referenceFrame.ReferencePixel;
        (double ra, double dec) = referenceFrame.PixelToWorld(x0 + fit.XRms, y0 + fit.YRms);
        double dra = ra - referenceFrame.Crval1;
        dra -= 360.0 * Math.Round(dra / 360.0);
        return (Math.Abs(dra), Math.Abs(dec - referenceFrame.Crval2));
    }

    private static (double Ra, double Dec) Intended(FitsWcs chip, FitsWcs reference, Affine2D t, double x, double y)
    {
        (double ra, double dec) = chip.PixelToWorld(x, y);
        (double u, double v) = reference.WorldToPixel(ra, dec);
        (double cu, double cv) = t.Apply(u, v);
        return reference.PixelToWorld(cu, cv);
    }

    private static Matrix2x2 PlaneMap(double[] ox, double[] oy, double[] tx, double[] ty)
    {
        double sxx = 0, sxy = 0, syy = 0, axx = 0, axy = 0, ayx = 0, ayy = 0;
        for (int k = 0; k < ox.Length; k++)
        {
            sxx += ox[k] * ox[k];
            sxy += ox[k] * oy[k];
            syy += oy[k] * oy[k];
            axx += tx[k] * ox[k];
            axy += tx[k] * oy[k];
            ayx += ty[k] * ox[k];
            ayy += ty[k] * oy[k];
        }

        double det = (sxx * syy) - (sxy * sxy);
        if (!(Math.Abs(det) > 0))
        {
            throw new WcsFitException("the chip grid is degenerate: cannot fit the corrected CD matrix");
        }

        // tx = m11 ox + m12 oy ; ty = m21 ox + m22 oy.
        return new Matrix2x2(
            ((axx * syy) - (axy * sxy)) / det,
            ((axy * sxx) - (axx * sxy)) / det,
            ((ayx * syy) - (ayy * sxy)) / det,
            ((ayy * sxx) - (ayx * sxy)) / det);
    }

    private static FitsWcs GaussNewton(FitsWcs start, List<double> gx, List<double> gy, double[] txi, double[] teta)
    {
        FitsWcs cur = start;
        int n = gx.Count;
        for (int it = 0; it < 8; it++)
        {
            Matrix2x2 cd = cur.Cd;
            double[] p = [cd.M11, cd.M12, cd.M21, cd.M22];
            double[] r0 = Resid(cur);
            var jt = new double[4][];
            for (int q = 0; q < 4; q++)
            {
                double step = 1e-7 * Math.Max(Math.Abs(p[q]), Math.Sqrt(Math.Abs(cd.Determinant)));
                double[] pp = (double[])p.Clone();
                pp[q] += step;
                double[] r1 = Resid(cur.WithCorrection(cur.Crval1, cur.Crval2, new Matrix2x2(pp[0], pp[1], pp[2], pp[3])));
                jt[q] = new double[r0.Length];
                for (int k = 0; k < r0.Length; k++)
                {
                    jt[q][k] = (r1[k] - r0[k]) / step;
                }
            }

            var ata = new double[4, 4];
            var atb = new double[4];
            for (int a = 0; a < 4; a++)
            {
                for (int k = 0; k < r0.Length; k++)
                {
                    atb[a] -= jt[a][k] * r0[k];
                }

                for (int b = 0; b < 4; b++)
                {
                    double s = 0;
                    for (int k = 0; k < r0.Length; k++)
                    {
                        s += jt[a][k] * jt[b][k];
                    }

                    ata[a, b] = s;
                }
            }

            if (!SolveSmall(ata, atb))
            {
                break;
            }

            var next = new Matrix2x2(p[0] + atb[0], p[1] + atb[1], p[2] + atb[2], p[3] + atb[3]);
            cur = cur.WithCorrection(cur.Crval1, cur.Crval2, next);
            double rel = Math.Abs(atb[0]) + Math.Abs(atb[1]) + Math.Abs(atb[2]) + Math.Abs(atb[3]);
            if (rel < 1e-15 * (Math.Abs(p[0]) + Math.Abs(p[1]) + Math.Abs(p[2]) + Math.Abs(p[3])))
            {
                break;
            }
        }

        return cur;

        double[] Resid(FitsWcs wcs)
        {
            var r = new double[2 * n];
            for (int k = 0; k < n; k++)
            {
                (double xi, double eta) = wcs.PixelToIntermediate(gx[k], gy[k]);
                r[2 * k] = xi - txi[k];
                r[(2 * k) + 1] = eta - teta[k];
            }

            return r;
        }
    }

    private static bool SolveSmall(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int c = 0; c < n; c++)
        {
            int piv = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(a[r, c]) > Math.Abs(a[piv, c]))
                {
                    piv = r;
                }
            }

            if (a[piv, c] == 0)
            {
                return false;
            }

            for (int j = 0; j < n; j++)
            {
                (a[c, j], a[piv, j]) = (a[piv, j], a[c, j]);
            }

            (b[c], b[piv]) = (b[piv], b[c]);
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int j = c; j < n; j++)
                {
                    a[r, j] -= f * a[c, j];
                }

                b[r] -= f * b[c];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int j = r + 1; j < n; j++)
            {
                s -= a[r, j] * b[j];
            }

            b[r] = s / a[r, r];
        }

        return true;
    }

    private static double MaxError(FitsWcs corrected, FitsWcs chip, FitsWcs reference, Affine2D t, int w, int h)
    {
        double worst = 0;
        for (int j = 0; j < CheckGrid; j++)
        {
            for (int i = 0; i < CheckGrid; i++)
            {
                double x = (w - 1) * i / (double)(CheckGrid - 1), y = (h - 1) * j / (double)(CheckGrid - 1);
                (double ra, double dec) = Intended(chip, reference, t, x, y);
                (double px, double py) = corrected.WorldToPixel(ra, dec);
                double e = Math.Sqrt(((px - x) * (px - x)) + ((py - y) * (py - y)));
                worst = double.IsNaN(e) ? double.PositiveInfinity : Math.Max(worst, e);
            }
        }

        return worst;
    }
}
