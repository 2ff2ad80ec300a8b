namespace TweakDrizzle.Matching;

/// <summary>
/// Weighted least-squares estimate of the map <c>ref = M · in + t</c> from matched positions, for each
/// <see cref="FitGeometry"/>. The rotation-bearing geometries pick the parity (proper or flipped) that fits better.
/// </summary>
/// <remarks>Pure functions; thread-safe. Sums are accumulated in double about the weighted centroids.</remarks>
public static class TransformEstimator
{
    /// <summary>Fits the map from matched points.</summary>
    /// <param name="xin">Input x.</param>
    /// <param name="yin">Input y.</param>
    /// <param name="xref">Reference x.</param>
    /// <param name="yref">Reference y.</param>
    /// <param name="weights">Per-point weights (empty: all 1). Zero-weight points do not count.</param>
    /// <param name="geometry">The fit geometry.</param>
    /// <returns>The fitted map.</returns>
    /// <exception cref="MatchingException">Too few points for the geometry, or a degenerate point set.</exception>
    public static Affine2D Fit(
        ReadOnlySpan<double> xin,
        ReadOnlySpan<double> yin,
        ReadOnlySpan<double> xref,
        ReadOnlySpan<double> yref,
        ReadOnlySpan<double> weights,
        FitGeometry geometry)
    {
        int n = xin.Length;
        if (yin.Length != n || xref.Length != n || yref.Length != n || (!weights.IsEmpty && weights.Length != n))
        {
            throw new MatchingException("matched position arrays have different lengths");
        }

        double sw = 0, mxi = 0, myi = 0, mxr = 0, myr = 0;
        int used = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            if (!(w > 0))
            {
                continue;
            }

            used++;
            sw += w;
            mxi += w * xin[i];
            myi += w * yin[i];
            mxr += w * xref[i];
            myr += w * yref[i];
        }

        int need = geometry switch { FitGeometry.Shift => 1, FitGeometry.General => 3, _ => 2 };
        if (used < need)
        {
            throw new MatchingException($"a {geometry.ToName()} fit needs at least {need} matched sources, got {used}");
        }

        mxi /= sw;
        myi /= sw;
        mxr /= sw;
        myr /= sw;
        if (geometry == FitGeometry.Shift)
        {
            return Affine2D.Translation(mxr - mxi, myr - myi);
        }

        double sxx = 0, sxy = 0, syy = 0, uxx = 0, uxy = 0, uyx = 0, uyy = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            if (!(w > 0))
            {
                continue;
            }

            double xi = xin[i] - mxi, yi = yin[i] - myi, xr = xref[i] - mxr, yr = yref[i] - myr;
            sxx += w * xi * xi;
            sxy += w * xi * yi;
            syy += w * yi * yi;
            uxx += w * xi * xr;
            uxy += w * xi * yr;
            uyx += w * yi * xr;
            uyy += w * yi * yr;
        }

        double a, b, c, d;
        if (geometry == FitGeometry.General)
        {
            double det = (sxx * syy) - (sxy * sxy);
            if (!(Math.Abs(det) > 1e-12 * Math.Max(1e-300, sxx * syy)))
            {
                throw new MatchingException("the matched sources are collinear: a general fit is undetermined");
            }

            // xr = a xi + b yi ; yr = c xi + d yi (centred).
            a = ((uxx * syy) - (uyx * sxy)) / det;
            b = ((uyx * sxx) - (uxx * sxy)) / det;
            c = ((uxy * syy) - (uyy * sxy)) / det;
            d = ((uyy * sxx) - (uxy * sxy)) / det;
        }
        else
        {
            double s = sxx + syy;
            if (!(s > 0))
            {
                throw new MatchingException("the matched sources coincide: rotation and scale are undetermined");
            }

            // Proper: M = [[p, -q], [q, p]]; flipped: M = [[f, g], [g, -f]].
            double p = (uxx + uyy) / s, q = (uxy - uyx) / s;
            double f = (uxx - uyy) / s, g = (uyx + uxy) / s;
            bool flip = ((f * f) + (g * g)) > ((p * p) + (q * q));
            if (!flip)
            {
                if (geometry == FitGeometry.RShift)
                {
                    double th = Math.Atan2(q, p);
                    p = Math.Cos(th);
                    q = Math.Sin(th);
                }

                a = p;
                b = -q;
                c = q;
                d = p;
            }
            else
            {
                if (geometry == FitGeometry.RShift)
                {
                    double th = Math.Atan2(g, f);
                    f = Math.Cos(th);
                    g = Math.Sin(th);
                }

                a = f;
                b = g;
                c = g;
                d = -f;
            }
        }

        return new Affine2D(a, b, c, d, mxr - (a * mxi) - (b * myi), myr - (c * mxi) - (d * myi));
    }
}
