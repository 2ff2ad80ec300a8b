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
/// <remarks>
/// The chip is worked through in bands of rows, each with the halo its medians need, and S, N and med3 are computed
/// only within <see cref="Reach"/> pixels of a tested pixel, so the memory used is a few bands, not a few chips
/// (full-size chips are 8 Mpix), and the time grows with the number of tested pixels.
/// </remarks>
public static class SingleImageCosmicRays
{
    /// <summary>How far from a tested pixel S, N and med3 are needed: S' takes the 5×5 median of S, F the 7×7 median of med3.</summary>
    private const int Reach = 3;

    /// <summary>How far beyond a pixel whose S or med3 is computed the data are read: 5×5 medians of the data.</summary>
    private const int DataReach = 2;

    /// <summary>Rows per band.</summary>
    private const int BandRows = 128;

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
    public static bool[] Detect(float[] data, bool[] usable, bool[] tested, int width, int height,
        ChipNoise noise, SingleImageCrTest test, int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(usable);
        ArgumentNullException.ThrowIfNull(tested);
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

        var list = new List<int>();
        for (int k = 0; k < n; k++)
        {
            if (tested[k])
            {
                list.Add(k);
            }
        }

        int[] testedPixels = [.. list];
        var sPrime = new float[testedPixels.Length]; // aligned with testedPixels
        var flagged = new bool[n];
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? Environment.ProcessorCount };
        double g = noise.ToElectrons > 0 ? noise.ToElectrons : 1.0;
        double rn2 = noise.ReadNoise * noise.ReadNoise;
        var band = new Band(width, BandRows + (2 * Reach));
        int next = 0;
        for (int b0 = 0; b0 < height && next < testedPixels.Length; b0 += BandRows)
        {
            int b1 = Math.Min(height, b0 + BandRows);
            int first = next;
            while (next < testedPixels.Length && testedPixels[next] < b1 * width)
            {
                next++;
            }

            if (first == next)
            {
                continue;
            }

            // S, N and med3 for the pixels within Reach of a tested pixel of rows [b0, b1) (rows b0 - Reach .. b1 + Reach).
            band.Reset(b0 - Reach, b1 + Reach, height);
            band.MarkAround(testedPixels, first, next, Reach);
            Parallel.For(band.Row0, band.Row1, po, y =>
            {
                Span<float> buf = stackalloc float[49];
                for (int x = 0; x < width; x++)
                {
                    int i = band.Index(x, y);
                    if (!band.Near[i])
                    {
                        continue;
                    }

                    double m5 = Median(data, usable, width, height, x, y, DataReach, buf);
                    double electrons = Math.Max((double.IsNaN(m5) ? 0 : m5) + noise.Sky, 0) * g;
                    double nse = Math.Sqrt(electrons + rn2) / g;
                    band.Noise[i] = (float)nse;
                    band.S[i] = (float)(LaplacianPlus(data, usable, width, height, x, y) / (2 * nse));
                    band.Med3[i] = (float)Median(data, usable, width, height, x, y, 1, buf);
                }
            });

            // S' = S − med5(S) and the fine-structure contrast at the tested pixels of the band.
            Parallel.For(first, next, po, t =>
            {
                Span<float> buf = stackalloc float[49];
                int k = testedPixels[t], x = k % width, y = k / width;
                double sMed = band.Median(band.S, x, y, 2, buf);
                sPrime[t] = (float)(band.S[band.Index(x, y)] - (double.IsNaN(sMed) ? 0 : sMed));
                double m7 = band.Median(band.Med3, x, y, 3, buf);
                double f = Math.Max((band.Med3[band.Index(x, y)] - (double.IsNaN(m7) ? 0 : m7)) / band.Noise[band.Index(x, y)], 0.01);
                flagged[k] = sPrime[t] > test.SigClip && sPrime[t] / f > test.ObjLim;
            });
        }

        // Tested neighbours of cosmic-ray pixels above sigclip, then their neighbours above sigfrac·sigclip.
        Grow(flagged, testedPixels, sPrime, width, height, test.SigClip);
        Grow(flagged, testedPixels, sPrime, width, height, test.SigFrac * test.SigClip);
        return flagged;
    }

    /// <summary>Adds the tested 8-neighbours of flagged pixels whose significance exceeds <paramref name="limit"/> (one ring).</summary>
    private static void Grow(bool[] flagged, int[] testedPixels, float[] sPrime, int width, int height, double limit)
    {
        var add = new List<int>();
        for (int t = 0; t < testedPixels.Length; t++)
        {
            int k = testedPixels[t];
            if (flagged[k] || !(sPrime[t] > limit))
            {
                continue;
            }

            if (CosmicRayDetector.NearHit(flagged, width, height, k % width, k / width, 1))
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

    /// <summary>Median of the good pixels in the (2r+1)² box around (x, y), inside the chip; NaN when none.</summary>
    private static double Median(float[] v, bool[] good, int width, int height, int x, int y, int r, Span<float> buf)
    {
        int c = 0;
        for (int j = Math.Max(0, y - r); j <= Math.Min(height - 1, y + r); j++)
        {
            for (int i = Math.Max(0, x - r); i <= Math.Min(width - 1, x + r); i++)
            {
                int k = (j * width) + i;
                if (good[k])
                {
                    buf[c++] = v[k];
                }
            }
        }

        return MedianOf(buf[..c]);
    }

    private static double MedianOf(Span<float> vals)
    {
        int c = vals.Length;
        if (c == 0)
        {
            return double.NaN;
        }

        vals.Sort();
        return (c & 1) == 1 ? vals[c / 2] : 0.5 * ((double)vals[(c / 2) - 1] + vals[c / 2]);
    }

    /// <summary>S, N and med3 of one band of rows (with its halo), and which of its pixels they are computed for.</summary>
    private sealed class Band(int width, int capacityRows)
    {
        public float[] S { get; } = new float[width * capacityRows];

        public float[] Noise { get; } = new float[width * capacityRows];

        public float[] Med3 { get; } = new float[width * capacityRows];

        public bool[] Near { get; } = new bool[width * capacityRows];

        /// <summary>First chip row held.</summary>
        public int Row0 { get; private set; }

        /// <summary>One past the last chip row held.</summary>
        public int Row1 { get; private set; }

        public void Reset(int row0, int row1, int height)
        {
            Row0 = Math.Max(0, row0);
            Row1 = Math.Min(height, row1);
            Array.Clear(Near);
        }

        public int Index(int x, int y) => ((y - Row0) * width) + x;

        /// <summary>Marks the pixels within <paramref name="r"/> of tested pixels [first, end) that lie in the band.</summary>
        public void MarkAround(int[] tested, int first, int end, int r)
        {
            for (int t = first; t < end; t++)
            {
                int x = tested[t] % width, y = tested[t] / width;
                for (int j = Math.Max(Row0, y - r); j < Math.Min(Row1, y + r + 1); j++)
                {
                    for (int i = Math.Max(0, x - r); i <= Math.Min(width - 1, x + r); i++)
                    {
                        Near[Index(i, j)] = true;
                    }
                }
            }
        }

        /// <summary>Median of a band quantity over the (2r+1)² box around (x, y) (every pixel there is computed).</summary>
        public double Median(float[] v, int x, int y, int r, Span<float> buf)
        {
            int c = 0;
            for (int j = Math.Max(Row0, y - r); j < Math.Min(Row1, y + r + 1); j++)
            {
                for (int i = Math.Max(0, x - r); i <= Math.Min(width - 1, x + r); i++)
                {
                    buf[c++] = v[Index(i, j)];
                }
            }

            return MedianOf(buf[..c]);
        }
    }
}
