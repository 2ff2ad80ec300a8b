namespace TweakDrizzle.Pipeline.Combine;

/// <summary>
/// Options of the single-image cosmic-ray test (not in AstroDrizzle) for the pixels the median cannot judge: where no
/// other exposure covers the sky (chip gaps, mosaic edges, masked areas), the median is the exposure's own value, a
/// cosmic ray there is in the blot too, and AstroDrizzle's rule cannot see it. There the test looks at the exposure
/// alone, with L.A.Cosmic's criteria (van Dokkum 2001, PASP 113, 1420): a cosmic ray is sharper than any source the
/// optics can make.
/// </summary>
/// <remarks>
/// For a tested pixel p: the Laplacian of the image sampled at twice the resolution, negative parts clipped, averaged
/// back, L⁺; the noise N from the 5×5 median of the data and sky (Poisson, gain, read noise); the significance
/// S = L⁺ / (2N) minus its own 5×5 median (so smooth structure does not count); the fine-structure image
/// F = med3 − med7(med3) over N, at least 0.01. p is a cosmic ray when S &gt; <see cref="SigClip"/> and
/// S / F &gt; <see cref="ObjLim"/> (stars have fine structure comparable to their Laplacian; cosmic rays do not).
/// Tested neighbours (8-connected) of cosmic-ray pixels join when S &gt; <see cref="SigClip"/>, then their neighbours
/// when S &gt; <see cref="SigFrac"/>·<see cref="SigClip"/>. Only pixels whose median had at most
/// <see cref="MaxCoverage"/> contributing exposures are tested; the rest is left to the comparison with the median.
/// </remarks>
public sealed record SingleImageCrTest
{
    /// <summary>Detection limit of the Laplacian significance, sigmas (default 4.5, L.A.Cosmic's sigclip).</summary>
    public double SigClip { get; init; } = 4.5;

    /// <summary>Neighbours join at this fraction of <see cref="SigClip"/> (default 0.3, L.A.Cosmic's sigfrac).</summary>
    public double SigFrac { get; init; } = 0.3;

    /// <summary>Smallest contrast of the Laplacian over the fine structure (default 5, L.A.Cosmic's objlim).</summary>
    public double ObjLim { get; init; } = 5.0;

    /// <summary>
    /// Test the pixels whose median had at most this many exposures (default 2: with one the median is the exposure's
    /// own value, with two their mean, which halves a cosmic ray; measured on the demo, 2 finds 8 % more of the cosmic-ray
    /// pixels left by 1 for two more false flags).
    /// </summary>
    public int MaxCoverage { get; init; } = 2;
}

/// <summary>The single-image cosmic-ray test of <see cref="SingleImageCrTest"/> (L.A.Cosmic restricted to given pixels).</summary>
public static class SingleImageCosmicRays
{
    /// <summary>How far from a tested pixel S, N and med3 are needed: S' takes the 5×5 median of S, F the 7×7 median of med3.</summary>
    private const int Reach = 3;

    /// <summary>Finds cosmic rays among the <paramref name="tested"/> pixels of one chip.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="usable">Good pixels (bad ones are left out of every median and of the Laplacian).</param>
    /// <param name="tested">Pixels to test (a subset of the usable ones); only these can be flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model (sky, electrons per data unit, read noise).</param>
    /// <param name="test">Thresholds.</param>
    /// <param name="maxThreads">Largest number of threads (null: all cores); the result does not depend on it.</param>
    /// <returns>True where a cosmic ray was found.</returns>
    /// <exception cref="CombineException">Arrays of different sizes or thresholds that are not positive.</exception>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<bool> usable, ReadOnlySpan<bool> tested, int width, int height,
        ChipNoise noise, SingleImageCrTest test, int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        int n = width * height;
        if (data.Length != n || usable.Length != n || tested.Length != n)
        {
            throw new CombineException("single-image cosmic-ray test: arrays of different sizes");
        }

        if (!(test.SigClip > 0) || !(test.SigFrac > 0) || !(test.ObjLim > 0) || !double.IsFinite(test.SigClip) || !double.IsFinite(test.ObjLim))
        {
            throw new CombineException("single-image cosmic-ray test: sigclip, sigfrac and objlim must be positive");
        }

        var flagged = new bool[n];
        var region = Region.Create(tested, width, height, Reach);
        if (region.IsEmpty)
        {
            return flagged;
        }

        double g = noise.ToElectrons > 0 ? noise.ToElectrons : 1.0;
        double rn2 = noise.ReadNoise * noise.ReadNoise;

        // Noise, Laplacian significance and the 3x3 median, where the tested pixels' 5x5 and 7x7 medians need them.
        var sig = new float[n];
        var s = new float[n];
        var med3 = new float[n];
        float[] values = data.ToArray();
        bool[] good = usable.ToArray();
        ForEachChunk(region.Near, maxThreads, k =>
        {
            Span<float> buf = stackalloc float[49];
            int x = k % width, y = k / width;
            double m5 = Median(values, good, width, height, x, y, 2, buf);
            double electrons = Math.Max((double.IsNaN(m5) ? 0 : m5) + noise.Sky, 0) * g;
            double nse = Math.Sqrt(electrons + rn2) / g;
            sig[k] = (float)nse;
            s[k] = (float)(LaplacianPlus(values, good, width, height, x, y) / (2 * nse));
            med3[k] = (float)Median(values, good, width, height, x, y, 1, buf);
        });

        // S' = S − med5(S) and the fine-structure contrast at the tested pixels.
        var sPrime = new float[n];
        var candidate = new bool[n];
        ForEachChunk(region.Tested, maxThreads, k =>
        {
            Span<float> buf = stackalloc float[49];
            int x = k % width, y = k / width;
            double sMed = Median(s, [], width, height, x, y, 2, buf);
            sPrime[k] = (float)(s[k] - (double.IsNaN(sMed) ? 0 : sMed));
            double m7 = Median(med3, [], width, height, x, y, 3, buf);
            double f = Math.Max((med3[k] - (double.IsNaN(m7) ? 0 : m7)) / sig[k], 0.01);
            candidate[k] = sPrime[k] > test.SigClip && sPrime[k] / f > test.ObjLim;
        });

        // Cosmic-ray pixels, then neighbours above sigclip, then their neighbours above sigfrac·sigclip.
        foreach (int k in region.Tested)
        {
            flagged[k] = candidate[k];
        }

        Grow(flagged, sPrime, region, width, height, test.SigClip);
        Grow(flagged, sPrime, region, width, height, test.SigFrac * test.SigClip);
        return flagged;
    }

    /// <summary>Runs <paramref name="body"/> for every index, in fixed chunks on up to <paramref name="maxThreads"/> threads (each index is written only by its own call).</summary>
    private static void ForEachChunk(int[] indices, int? maxThreads, Action<int> body)
    {
        const int chunk = 4096;
        int chunks = (indices.Length + chunk - 1) / chunk;
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? Environment.ProcessorCount };
        Parallel.For(0, chunks, po, c =>
        {
            int end = Math.Min(indices.Length, (c + 1) * chunk);
            for (int i = c * chunk; i < end; i++)
            {
                body(indices[i]);
            }
        });
    }

    /// <summary>Adds the tested 8-neighbours of flagged pixels whose significance exceeds <paramref name="limit"/> (one ring).</summary>
    private static void Grow(bool[] flagged, float[] sPrime, Region region, int width, int height, double limit)
    {
        var add = new List<int>();
        foreach (int k in region.Tested)
        {
            if (flagged[k] || !(sPrime[k] > limit))
            {
                continue;
            }

            int x = k % width, y = k / width;
            bool near = false;
            for (int j = Math.Max(0, y - 1); j <= Math.Min(height - 1, y + 1) && !near; j++)
            {
                for (int i = Math.Max(0, x - 1); i <= Math.Min(width - 1, x + 1); i++)
                {
                    if (flagged[(j * width) + i])
                    {
                        near = true;
                        break;
                    }
                }
            }

            if (near)
            {
                add.Add(k);
            }
        }

        foreach (int k in add)
        {
            flagged[k] = true;
        }
    }

    /// <summary>
    /// L.A.Cosmic's L⁺ at one pixel: the image replicated 2×2, convolved with the 4-neighbour Laplacian, clipped at 0
    /// and averaged back; for the sub-pixel next to neighbours h (left or right) and v (below or above) that is
    /// max(0, 2p − h − v). A bad or missing neighbour counts as p (it adds nothing).
    /// </summary>
    private static double LaplacianPlus(float[] v, bool[] good, int width, int height, int x, int y)
    {
        int k = (y * width) + x;
        double p = v[k];
        double left = x > 0 && good[k - 1] ? v[k - 1] : p;
        double right = x < width - 1 && good[k + 1] ? v[k + 1] : p;
        double below = y > 0 && good[k - width] ? v[k - width] : p;
        double above = y < height - 1 && good[k + width] ? v[k + width] : p;
        return 0.25 * (Math.Max(0, (2 * p) - left - below) + Math.Max(0, (2 * p) - right - below)
            + Math.Max(0, (2 * p) - left - above) + Math.Max(0, (2 * p) - right - above));
    }

    /// <summary>Median of the good pixels (every pixel when <paramref name="good"/> is empty) in the (2r+1)² box around (x, y), inside the chip; NaN when none.</summary>
    private static double Median(ReadOnlySpan<float> v, ReadOnlySpan<bool> good, int width, int height, int x, int y, int r, Span<float> buf)
    {
        int c = 0;
        for (int j = Math.Max(0, y - r); j <= Math.Min(height - 1, y + r); j++)
        {
            for (int i = Math.Max(0, x - r); i <= Math.Min(width - 1, x + r); i++)
            {
                int k = (j * width) + i;
                if (good.IsEmpty || good[k])
                {
                    buf[c++] = v[k];
                }
            }
        }

        if (c == 0)
        {
            return double.NaN;
        }

        Span<float> vals = buf[..c];
        vals.Sort();
        return (c & 1) == 1 ? vals[c / 2] : 0.5 * ((double)vals[(c / 2) - 1] + vals[c / 2]);
    }

    /// <summary>The tested pixels, and every pixel within a (Chebyshev) distance of one, in row-major order.</summary>
    private sealed class Region(int[] tested, int[] near)
    {
        public static Region Create(ReadOnlySpan<bool> tested, int width, int height, int distance)
        {
            var list = new List<int>();
            for (int k = 0; k < tested.Length; k++)
            {
                if (tested[k])
                {
                    list.Add(k);
                }
            }

            // The tested mask grown by a (2d+1)² box: rows, then columns.
            var rows = new bool[tested.Length];
            foreach (int k in list)
            {
                int x = k % width, o = k - x;
                for (int i = Math.Max(0, x - distance); i <= Math.Min(width - 1, x + distance); i++)
                {
                    rows[o + i] = true;
                }
            }

            var grown = new bool[tested.Length];
            for (int k = 0; k < rows.Length; k++)
            {
                if (rows[k])
                {
                    int x = k % width, y = k / width;
                    for (int j = Math.Max(0, y - distance); j <= Math.Min(height - 1, y + distance); j++)
                    {
                        grown[(j * width) + x] = true;
                    }
                }
            }

            var near = new List<int>();
            for (int k = 0; k < grown.Length; k++)
            {
                if (grown[k])
                {
                    near.Add(k);
                }
            }

            return new Region([.. list], [.. near]);
        }

        public bool IsEmpty => tested.Length == 0;

        /// <summary>The tested pixels.</summary>
        public int[] Tested => tested;

        /// <summary>The pixels within the distance of a tested pixel (the tested ones included).</summary>
        public int[] Near => near;
    }
}
