namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Noise model of one chip for the cosmic-ray test, in the chip's own data units.</summary>
/// <param name="Sky">Sky subtracted from the chip, data units.</param>
/// <param name="ToElectrons">Electrons per data unit (gain, times the exposure time for rate data).</param>
/// <param name="ReadNoise">Read noise, electrons.</param>
public readonly record struct ChipNoise(double Sky, double ToElectrons, double ReadNoise);

/// <summary>
/// The tail search that follows AstroDrizzle's cosmic-ray rule (an extension; AstroDrizzle has no such step).
/// </summary>
/// <remarks>
/// <para>
/// AstroDrizzle's rule finds the bright cores of cosmic-ray tracks but leaves their faint edges: charge that
/// diffused into the neighbouring pixels, and the ends of tracks. The tail search grows the mask, one ring at a
/// time, into neighbours (8-connected) of flagged pixels whose excess over the blotted median,
/// data − blot (signed: a cosmic ray only adds charge), exceeds <see cref="Scale"/>·deriv + <see cref="Snr"/>·noise
/// (LA-Cosmic's <c>sigfrac</c> idea with AstroDrizzle's derivative term, which keeps stars unflagged), for at most
/// <see cref="Iterations"/> rings. Charge below the noise cannot be seen pixel by pixel; with <see cref="Edge"/> the
/// final mask is also grown by the 4 direct neighbours (a plus-shaped dilation, where charge diffusion puts it) of
/// its pixels that exceed <see cref="EdgeSnr"/>·noise.
/// </para>
/// </remarks>
public sealed record CosmicRayTail
{
    /// <summary>Threshold of the tail test, in sigmas of the pixel's noise (default 1.5).</summary>
    public double Snr { get; init; } = 1.5;

    /// <summary>Derivative scale of the tail test (default 0.7, AstroDrizzle's second-pass scale).</summary>
    public double Scale { get; init; } = 0.7;

    /// <summary>Largest number of rings the mask is grown by (default 4; 0 switches the test off).</summary>
    public int Iterations { get; init; } = 4;

    /// <summary>Finally add the 4 direct neighbours of every flagged pixel (default true).</summary>
    public bool Edge { get; init; } = true;

    /// <summary>
    /// Only flagged pixels whose excess exceeds this many sigmas (the bright parts of tracks, whose diffused charge
    /// is worth finding) seed the <see cref="Edge"/> growth (default 10).
    /// </summary>
    public double EdgeSnr { get; init; } = 10;

    /// <summary>
    /// Also test the pixels where the blot is steep (star cores) with a local model of the blot's registration and
    /// resampling error instead of the derivative term (default false). With AstroDrizzle's minmed the blot is biased
    /// low at bright-star cores and the test flags star cores without a cosmic ray (bright-star photometry suffers);
    /// with <see cref="CombineType.Median"/> it finds cosmic rays on star cores without that cost (see docs/pipeline.md).
    /// </summary>
    /// <remarks>
    /// Where deriv exceeds <see cref="CoreMinDeriv"/>·noise, data − blot is fitted, in the 7×7 window around the
    /// pixel, by a·∂blot/∂x + b·∂blot/∂y + c·blot + e·∇²blot + d (a small shift, flux scale and width change of the
    /// blotted image, plus a sky offset), weighted by 1/(noise² + (<see cref="CoreScale"/>·deriv)²), with positive
    /// outliers clipped at 3σ until the fit settles. A smooth registration or resampling error is absorbed by the
    /// model, a cosmic ray (a localized spike) is not: a pixel is flagged when its residual after the fit exceeds
    /// driz_cr_snr·noise + <see cref="CoreScale"/>·deriv (first value; the second for neighbours of such hits).
    /// </remarks>
    public bool Cores { get; init; }

    /// <summary>Fraction of deriv allowed for the model error of the <see cref="Cores"/> test (default 0.3).</summary>
    public double CoreScale { get; init; } = 0.3;

    /// <summary>Pixels with deriv above this many sigmas get the <see cref="Cores"/> test (default 2).</summary>
    public double CoreMinDeriv { get; init; } = 2;
}

/// <summary>
/// AstroDrizzle's cosmic-ray test (driz_cr): a pixel is a cosmic ray when
/// |data − blot| &gt; scale·deriv + SNR·noise, with the first (scale, SNR) pair, or, for the neighbours of
/// first-pass hits, with the second pair; optionally followed by the <see cref="CosmicRayTail"/> search; the mask
/// is then grown by driz_cr_grow.
/// </summary>
public static class CosmicRayDetector
{
    /// <summary>Detects cosmic rays on one chip.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="blot">Blotted median, same units, sky-free.</param>
    /// <param name="usable">Pixels to test (good and covered by the median); others are never flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model.</param>
    /// <param name="snr">driz_cr_snr pair.</param>
    /// <param name="scale">driz_cr_scale pair.</param>
    /// <param name="grow">driz_cr_grow (box size, 1 = none).</param>
    /// <returns>True where a cosmic ray was found.</returns>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<float> blot, ReadOnlySpan<bool> usable, int width, int height,
        ChipNoise noise, (double First, double Second) snr, (double First, double Second) scale, int grow = 1) =>
        Detect(data, blot, usable, width, height, noise, snr, scale, grow, null);

    /// <summary>Detects cosmic rays on one chip with the options of an <see cref="AstroDrizzle"/> run.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="blot">Blotted median, same units, sky-free.</param>
    /// <param name="usable">Pixels to test (good and covered by the median); others are never flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model.</param>
    /// <param name="options">driz_cr_snr, driz_cr_scale, driz_cr_grow and the tail search (<see cref="AstroDrizzleOptions.DrizCrTail"/>).</param>
    /// <returns>True where a cosmic ray was found.</returns>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<float> blot, ReadOnlySpan<bool> usable, int width, int height,
        ChipNoise noise, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Detect(data, blot, usable, width, height, noise, options.DrizCrSnr, options.DrizCrScale, options.DrizCrGrow, options.DrizCrTail);
    }

    /// <summary>Detects cosmic rays on one chip, with the tail search.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="blot">Blotted median, same units, sky-free.</param>
    /// <param name="usable">Pixels to test (good and covered by the median); others are never flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model.</param>
    /// <param name="snr">driz_cr_snr pair.</param>
    /// <param name="scale">driz_cr_scale pair.</param>
    /// <param name="grow">driz_cr_grow (box size, 1 = none).</param>
    /// <param name="tail">The tail search, or null for AstroDrizzle's rule alone.</param>
    /// <returns>True where a cosmic ray was found.</returns>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<float> blot, ReadOnlySpan<bool> usable, int width, int height,
        ChipNoise noise, (double First, double Second) snr, (double First, double Second) scale, int grow, CosmicRayTail? tail)
    {
        int n = width * height;
        if (data.Length != n || blot.Length != n || usable.Length != n)
        {
            throw new CombineException("cosmic-ray detection: arrays of different sizes");
        }

        if (tail is not null && (tail.Iterations < 0 || !double.IsFinite(tail.Snr) || !double.IsFinite(tail.Scale) || double.IsNaN(tail.EdgeSnr)
            || !(tail.CoreScale >= 0) || !double.IsFinite(tail.CoreScale) || !(tail.CoreMinDeriv >= 0) || !double.IsFinite(tail.CoreMinDeriv)))
        {
            throw new CombineException("cosmic-ray tail search: the iterations must be >= 0 and the thresholds finite (core scale and minimum deriv >= 0)");
        }

        double g = noise.ToElectrons > 0 ? noise.ToElectrons : 1.0;
        double rn2 = noise.ReadNoise * noise.ReadNoise;
        var diff = new float[n];
        var deriv = new float[n];
        var sig = new float[n];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int k = (y * width) + x;
                double b = blot[k];
                double d = 0;
                if (x > 0) { d = Math.Max(d, Math.Abs(b - blot[k - 1])); }
                if (x < width - 1) { d = Math.Max(d, Math.Abs(b - blot[k + 1])); }
                if (y > 0) { d = Math.Max(d, Math.Abs(b - blot[k - width])); }
                if (y < height - 1) { d = Math.Max(d, Math.Abs(b - blot[k + width])); }
                deriv[k] = (float)d;
                diff[k] = (float)(data[k] - b);
                sig[k] = (float)(Math.Sqrt((Math.Abs(b + noise.Sky) * g) + rn2) / g);
            }
        }

        var first = new bool[n];
        for (int k = 0; k < n; k++)
        {
            first[k] = usable[k] && Math.Abs(diff[k]) > (scale.First * deriv[k]) + (snr.First * sig[k]);
        }

        var mask = new bool[n];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int k = (y * width) + x;
                if (!usable[k] || !NearHit(first, width, height, x, y, 1))
                {
                    continue;
                }

                mask[k] = Math.Abs(diff[k]) > (scale.Second * deriv[k]) + (snr.Second * sig[k]);
            }
        }

        if (tail is not null && tail.Cores)
        {
            FindOnCores(mask, blot, diff, deriv, sig, usable, width, height, snr, tail);
        }

        if (tail is not null)
        {
            GrowTails(mask, diff, deriv, sig, usable, width, height, tail);
        }

        return grow > 1 ? Grow(mask, width, height, grow / 2) : mask;
    }

    /// <summary>Grows a mask by a square box of half-size <paramref name="radius"/>.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="radius">Half-size of the box.</param>
    /// <returns>A new mask.</returns>
    public static bool[] Grow(bool[] mask, int width, int height, int radius)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var result = new bool[mask.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                result[(y * width) + x] = NearHit(mask, width, height, x, y, radius);
            }
        }

        return result;
    }

    private static void GrowTails(bool[] mask, float[] diff, float[] deriv, float[] sig, ReadOnlySpan<bool> usable, int width, int height, CosmicRayTail tail)
    {
        // Ring by ring from the current mask: a ring is collected in full before it is added, so the result does not
        // depend on the scan order.
        var frontier = new List<int>();
        for (int k = 0; k < mask.Length; k++)
        {
            if (mask[k])
            {
                frontier.Add(k);
            }
        }

        var ring = new List<int>();
        var queued = new bool[mask.Length];
        for (int it = 0; it < tail.Iterations && frontier.Count > 0; it++)
        {
            ring.Clear();
            foreach (int k in frontier)
            {
                int x = k % width, y = k / width;
                for (int j = Math.Max(0, y - 1); j <= Math.Min(height - 1, y + 1); j++)
                {
                    for (int i = Math.Max(0, x - 1); i <= Math.Min(width - 1, x + 1); i++)
                    {
                        int q = (j * width) + i;
                        if (usable[q])
                        {
                            TryAdd(q);
                            continue;
                        }

                        // A bad pixel (a bad column, a hot pixel) is never flagged itself, but the track goes on beyond
                        // it: its neighbours are reached through it (a track whose brightest pixel fell on a bad
                        // column otherwise leaves its diffused charge on both sides).
                        for (int jj = Math.Max(0, j - 1); jj <= Math.Min(height - 1, j + 1); jj++)
                        {
                            for (int ii = Math.Max(0, i - 1); ii <= Math.Min(width - 1, i + 1); ii++)
                            {
                                int r = (jj * width) + ii;
                                if (usable[r])
                                {
                                    TryAdd(r);
                                }
                            }
                        }
                    }
                }
            }

            foreach (int q in ring)
            {
                mask[q] = true;
            }

            (frontier, ring) = (ring, frontier);
        }

        if (!tail.Edge)
        {
            return;
        }

        var edge = new List<int>();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int k = (y * width) + x;
                if (mask[k] || !usable[k])
                {
                    continue;
                }

                if ((x > 0 && Seed(k - 1)) || (x < width - 1 && Seed(k + 1)) || (y > 0 && Seed(k - width)) || (y < height - 1 && Seed(k + width)))
                {
                    edge.Add(k);
                }
            }
        }

        foreach (int k in edge)
        {
            mask[k] = true;
        }

        // Edge seeds: flagged pixels whose excess is a clear detection (the cores and bright parts of the tracks).
        bool Seed(int k) => mask[k] && diff[k] > tail.EdgeSnr * sig[k];

        // Queues a pixel for the next ring when it passes the tail test.
        void TryAdd(int q)
        {
            if (!mask[q] && !queued[q] && diff[q] > (tail.Scale * deriv[q]) + (tail.Snr * sig[q]))
            {
                queued[q] = true;
                ring.Add(q);
            }
        }
    }

    private const int CoreHalf = 3;
    private const double CoreClip = 3.0;
    private const int CoreFitIterations = 5;
    private const int CoreTerms = 5;

    private static void FindOnCores(bool[] mask, ReadOnlySpan<float> blot, float[] diff, float[] deriv, float[] sig,
        ReadOnlySpan<bool> usable, int width, int height, (double First, double Second) snr, CosmicRayTail tail)
    {
        // Residual after the local fit, for every steep pixel (star cores), in scan order.
        var residual = new Dictionary<int, double>();
        var work = new CoreFit(CoreHalf);
        for (int y = 1; y < height - 1; y++)
        {
            for (int x = 1; x < width - 1; x++)
            {
                int k = (y * width) + x;
                if (!usable[k] || mask[k] || deriv[k] <= tail.CoreMinDeriv * sig[k])
                {
                    continue;
                }

                if (work.Residual(mask, blot, diff, deriv, sig, usable, width, height, x, y, tail.CoreScale, out double r))
                {
                    residual[k] = r;
                }
            }
        }

        if (residual.Count == 0)
        {
            return;
        }

        var first = new List<int>();
        foreach ((int k, double r) in residual)
        {
            if (r > (snr.First * sig[k]) + (tail.CoreScale * deriv[k]))
            {
                first.Add(k);
            }
        }

        var firstSet = new HashSet<int>(first);
        var second = new List<int>();
        foreach ((int k, double r) in residual)
        {
            if (firstSet.Contains(k) || r <= (snr.Second * sig[k]) + (tail.CoreScale * deriv[k]))
            {
                continue;
            }

            int x = k % width, y = k / width;
            bool near = false;
            for (int j = y - 1; j <= y + 1 && !near; j++)
            {
                for (int i = x - 1; i <= x + 1; i++)
                {
                    if (firstSet.Contains((j * width) + i))
                    {
                        near = true;
                        break;
                    }
                }
            }

            if (near)
            {
                second.Add(k);
            }
        }

        foreach (int k in first)
        {
            mask[k] = true;
        }

        foreach (int k in second)
        {
            mask[k] = true;
        }
    }

    /// <summary>The weighted, clipped least-squares fit of the local blot-error model (work arrays reused).</summary>
    private sealed class CoreFit
    {
        private readonly int half;
        private readonly double[] basis;
        private readonly double[] target;
        private readonly double[] weight;
        private readonly double[] sigma;
        private readonly bool[] used;
        private readonly double[] normal = new double[CoreTerms * CoreTerms];
        private readonly double[] rhs = new double[CoreTerms];
        private readonly double[] coef = new double[CoreTerms];

        public CoreFit(int half)
        {
            this.half = half;
            int m = ((2 * half) + 1) * ((2 * half) + 1);
            basis = new double[m * CoreTerms];
            target = new double[m];
            weight = new double[m];
            sigma = new double[m];
            used = new bool[m];
        }

        public bool Residual(bool[] mask, ReadOnlySpan<float> blot, float[] diff, float[] deriv, float[] sig, ReadOnlySpan<bool> usable,
            int width, int height, int x0, int y0, double coreScale, out double residual)
        {
            residual = 0;
            int m = 0;
            int centre = -1;
            for (int j = Math.Max(1, y0 - half); j <= Math.Min(height - 2, y0 + half); j++)
            {
                for (int i = Math.Max(1, x0 - half); i <= Math.Min(width - 2, x0 + half); i++)
                {
                    int q = (j * width) + i;
                    if (!usable[q] || (mask[q] && !(i == x0 && j == y0)))
                    {
                        continue;
                    }

                    double b = blot[q];
                    double l = blot[q - 1], rr = blot[q + 1], d = blot[q - width], u = blot[q + width];
                    int o = m * CoreTerms;
                    basis[o] = 0.5 * (rr - l);
                    basis[o + 1] = 0.5 * (u - d);
                    basis[o + 2] = b;
                    basis[o + 3] = l + rr + d + u - (4 * b);
                    basis[o + 4] = 1;

                    target[m] = diff[q];
                    double s2 = (sig[q] * (double)sig[q]) + Math.Pow(coreScale * deriv[q], 2);
                    sigma[m] = Math.Sqrt(s2);
                    weight[m] = 1 / s2;
                    used[m] = true;
                    if (i == x0 && j == y0)
                    {
                        centre = m;
                    }

                    m++;
                }
            }

            if (centre < 0 || m < 3 * CoreTerms)
            {
                return false;
            }

            for (int it = 0; it < CoreFitIterations; it++)
            {
                if (!Solve(m))
                {
                    return false;
                }

                int changed = 0, count = 0;
                for (int p = 0; p < m; p++)
                {
                    bool keep = target[p] - Model(p) <= CoreClip * sigma[p];
                    if (keep != used[p])
                    {
                        used[p] = keep;
                        changed++;
                    }

                    if (keep)
                    {
                        count++;
                    }
                }

                if (count < 3 * CoreTerms)
                {
                    return false;
                }

                if (changed == 0)
                {
                    break;
                }
            }

            residual = target[centre] - Model(centre);
            return true;
        }

        private double Model(int p)
        {
            int o = p * CoreTerms;
            double v = 0;
            for (int t = 0; t < CoreTerms; t++)
            {
                v += coef[t] * basis[o + t];
            }

            return v;
        }

        private bool Solve(int m)
        {
            Array.Clear(normal);
            Array.Clear(rhs);
            for (int p = 0; p < m; p++)
            {
                if (!used[p])
                {
                    continue;
                }

                int o = p * CoreTerms;
                double w = weight[p];
                for (int a = 0; a < CoreTerms; a++)
                {
                    double wa = w * basis[o + a];
                    rhs[a] += wa * target[p];
                    for (int c = a; c < CoreTerms; c++)
                    {
                        normal[(a * CoreTerms) + c] += wa * basis[o + c];
                    }
                }
            }

            // Symmetric fill and Jacobi scaling (the terms differ by orders of magnitude), then Gaussian elimination.
            Span<double> scaleOf = stackalloc double[CoreTerms];
            for (int a = 0; a < CoreTerms; a++)
            {
                double dgl = normal[(a * CoreTerms) + a];
                if (!(dgl > 0))
                {
                    return false;
                }

                scaleOf[a] = 1 / Math.Sqrt(dgl);
            }

            Span<double> mat = stackalloc double[CoreTerms * CoreTerms];
            Span<double> vec = stackalloc double[CoreTerms];
            for (int a = 0; a < CoreTerms; a++)
            {
                for (int c = 0; c < CoreTerms; c++)
                {
                    double v = a <= c ? normal[(a * CoreTerms) + c] : normal[(c * CoreTerms) + a];
                    mat[(a * CoreTerms) + c] = v * scaleOf[a] * scaleOf[c];
                }

                vec[a] = rhs[a] * scaleOf[a];
            }

            for (int col = 0; col < CoreTerms; col++)
            {
                int piv = col;
                for (int r = col + 1; r < CoreTerms; r++)
                {
                    if (Math.Abs(mat[(r * CoreTerms) + col]) > Math.Abs(mat[(piv * CoreTerms) + col]))
                    {
                        piv = r;
                    }
                }

                if (Math.Abs(mat[(piv * CoreTerms) + col]) < 1e-10)
                {
                    return false;
                }

                if (piv != col)
                {
                    for (int c = 0; c < CoreTerms; c++)
                    {
                        (mat[(col * CoreTerms) + c], mat[(piv * CoreTerms) + c]) = (mat[(piv * CoreTerms) + c], mat[(col * CoreTerms) + c]);
                    }

                    (vec[col], vec[piv]) = (vec[piv], vec[col]);
                }

                for (int r = col + 1; r < CoreTerms; r++)
                {
                    double f = mat[(r * CoreTerms) + col] / mat[(col * CoreTerms) + col];
                    for (int c = col; c < CoreTerms; c++)
                    {
                        mat[(r * CoreTerms) + c] -= f * mat[(col * CoreTerms) + c];
                    }

                    vec[r] -= f * vec[col];
                }
            }

            for (int r = CoreTerms - 1; r >= 0; r--)
            {
                double v = vec[r];
                for (int c = r + 1; c < CoreTerms; c++)
                {
                    v -= mat[(r * CoreTerms) + c] * coef[c];
                }

                coef[r] = v / mat[(r * CoreTerms) + r];
            }

            for (int a = 0; a < CoreTerms; a++)
            {
                coef[a] *= scaleOf[a];
            }

            return true;
        }
    }

    /// <summary>Whether any pixel of the mask lies within the (2r+1)² box around (x, y).</summary>
    internal static bool NearHit(bool[] mask, int width, int height, int x, int y, int r)
    {
        int y0 = Math.Max(0, y - r), y1 = Math.Min(height - 1, y + r);
        int x0 = Math.Max(0, x - r), x1 = Math.Min(width - 1, x + r);
        for (int j = y0; j <= y1; j++)
        {
            int row = j * width;
            for (int i = x0; i <= x1; i++)
            {
                if (mask[row + i])
                {
                    return true;
                }
            }
        }

        return false;
    }
}
