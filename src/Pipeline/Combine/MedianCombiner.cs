namespace TweakDrizzle.Pipeline.Combine;

/// <summary>One separate drizzle (a single exposure on the output grid), rate units.</summary>
/// <param name="Sci">Science image, row-major, e⁻/s (or counts/s).</param>
/// <param name="Wht">Weight image.</param>
/// <param name="ExposureTime">Exposure time, seconds.</param>
/// <param name="SkyElectrons">Sky subtracted from the exposure, electrons per input pixel.</param>
/// <param name="ReadNoise">Read noise, electrons.</param>
public sealed record SingleDrizzle(float[] Sci, float[] Wht, double ExposureTime, double SkyElectrons, double ReadNoise);

/// <summary>
/// Combines separate drizzles pixel by pixel (AstroDrizzle's create_median step): median, mean or minmed, after
/// leaving out low-weight pixels (combine_maskpt) and the combine_nlow lowest / combine_nhigh highest values.
/// </summary>
/// <remarks>Works on fixed bands of rows in parallel; the result does not depend on the number of threads.</remarks>
public static class MedianCombiner
{
    /// <summary>Combines the singles.</summary>
    /// <param name="singles">The separate drizzles (same size).</param>
    /// <param name="width">Grid width.</param>
    /// <param name="height">Grid height.</param>
    /// <param name="options">combine_type, combine_nlow/nhigh, combine_nsigma, combine_maskpt, tile rows, cores.</param>
    /// <returns>The combined image (NaN where no single contributes).</returns>
    public static float[] Combine(IReadOnlyList<SingleDrizzle> singles, int width, int height, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(singles);
        ArgumentNullException.ThrowIfNull(options);
        int m = singles.Count;
        long n = (long)width * height;
        if (m == 0 || singles.Any(s => s.Sci.LongLength != n || s.Wht.LongLength != n))
        {
            throw new CombineException("median: no separate drizzles, or they differ in size");
        }

        if (options.CombineNLow < 0 || options.CombineNHigh < 0)
        {
            throw new CombineException("combine_nlow and combine_nhigh must be >= 0");
        }

        // combine_maskpt: weight threshold per single, a fraction of its median non-zero weight.
        var minWeight = new float[m];
        for (int s = 0; s < m; s++)
        {
            minWeight[s] = MinimumWeight(singles[s].Wht, options.CombineMaskpt);
        }

        var result = new float[n];
        CombineBlock(singles, minWeight, width, height, 0, height, options, result);
        return result;
    }

    /// <summary>combine_maskpt's weight threshold of one separate drizzle: the fraction of its median non-zero weight.</summary>
    internal static float MinimumWeight(float[] wht, double maskpt) => (float)(maskpt * MedianPositive(wht));

    /// <summary>
    /// Combines a block of rows: <paramref name="block"/> holds the singles' rows [0, rows) of the block (their Sci and
    /// Wht are rows x width); rows [<paramref name="first"/>, <paramref name="last"/>) are combined into
    /// <paramref name="result"/> (same layout); the rows outside are a halo only read by minmed's 3x3 neighbour rule.
    /// <paramref name="coverage"/>, when given (same layout), receives the number of singles combined at each pixel.
    /// </summary>
    internal static void CombineBlock(IReadOnlyList<SingleDrizzle> block, float[] minWeight, int width, int rows, int first, int last, AstroDrizzleOptions options, float[] result,
        float[]? coverage = null)
    {
        int m = block.Count;
        long n = (long)width * rows;
        float[]? minimum = null, minSigma = null;
        bool minmed = options.CombineType == CombineType.Minmed;
        int r0 = first, r1 = last;
        if (minmed)
        {
            // The halo rows are combined too, for the neighbour rule.
            minimum = new float[n];
            minSigma = new float[n];
            r0 = 0;
            r1 = rows;
        }

        const int band = 16;
        int bands = (r1 - r0 + band - 1) / band;
        var po = new ParallelOptions { MaxDegreeOfParallelism = options.NumCores ?? Environment.ProcessorCount };
        Parallel.For(0, bands, po, () => (new double[m], new int[m]), (t, _, buf) =>
        {
            (double[] values, int[] owner) = buf;
            int y1 = Math.Min(r1, r0 + ((t + 1) * band));
            for (int y = r0 + (t * band); y < y1; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    long k = ((long)y * width) + x;
                    int c = 0;
                    for (int s = 0; s < m; s++)
                    {
                        float w = block[s].Wht[k];
                        float v = block[s].Sci[k];
                        if (w > 0 && w >= minWeight[s] && float.IsFinite(v))
                        {
                            values[c] = v;
                            owner[c] = s;
                            c++;
                        }
                    }

                    if (coverage is not null)
                    {
                        coverage[k] = c;
                    }

                    if (c == 0)
                    {
                        result[k] = float.NaN;
                        if (minmed)
                        {
                            minimum![k] = float.NaN;
                            minSigma![k] = float.NaN;
                        }

                        continue;
                    }

                    SortWithOwners(values, owner, c);
                    if (minmed)
                    {
                        result[k] = (float)Median(values, 0, c);
                        minimum![k] = (float)values[0];
                        SingleDrizzle o = block[owner[0]];
                        double electrons = Math.Max(0, (values[0] * o.ExposureTime) + o.SkyElectrons);
                        minSigma![k] = (float)(Math.Sqrt(electrons + (o.ReadNoise * o.ReadNoise)) / o.ExposureTime);
                        continue;
                    }

                    int lo = Math.Min(options.CombineNLow, c - 1);
                    int hi = Math.Max(lo + 1, c - options.CombineNHigh);
                    result[k] = options.CombineType == CombineType.Mean ? (float)Mean(values, lo, hi) : (float)Median(values, lo, hi - lo);
                }
            }

            return buf;
        }, _ => { });

        if (minmed)
        {
            ApplyMinmed(result, minimum!, minSigma!, width, rows, first, last, options.CombineNSigma);
        }
    }

    private static void ApplyMinmed(float[] median, float[] minimum, float[] sigma, int width, int height, int firstRow, int lastRow, (double First, double Second) nsigma)
    {
        long n = (long)width * height;
        var first = new bool[n];
        for (long k = 0; k < n; k++)
        {
            first[k] = float.IsFinite(median[k]) && median[k] - minimum[k] > nsigma.First * sigma[k];
        }

        for (int y = firstRow; y < lastRow; y++)
        {
            for (int x = 0; x < width; x++)
            {
                long k = ((long)y * width) + x;
                if (!float.IsFinite(median[k]))
                {
                    continue;
                }

                bool use = first[k];
                if (!use && median[k] - minimum[k] > nsigma.Second * sigma[k])
                {
                    for (int j = Math.Max(0, y - 1); j <= Math.Min(height - 1, y + 1) && !use; j++)
                    {
                        for (int i = Math.Max(0, x - 1); i <= Math.Min(width - 1, x + 1); i++)
                        {
                            if (first[((long)j * width) + i])
                            {
                                use = true;
                                break;
                            }
                        }
                    }
                }

                if (use)
                {
                    median[k] = minimum[k];
                }
            }
        }
    }

    /// <summary>Insertion sort of the first <paramref name="count"/> values (a handful per pixel), carrying their owners; stable, so equal values keep the lower single first.</summary>
    private static void SortWithOwners(double[] values, int[] owner, int count)
    {
        for (int i = 1; i < count; i++)
        {
            double v = values[i];
            int o = owner[i];
            int j = i - 1;
            while (j >= 0 && values[j] > v)
            {
                values[j + 1] = values[j];
                owner[j + 1] = owner[j];
                j--;
            }

            values[j + 1] = v;
            owner[j + 1] = o;
        }
    }

    private static double Median(double[] sorted, int start, int count) =>
        count % 2 == 1 ? sorted[start + (count / 2)] : 0.5 * (sorted[start + (count / 2) - 1] + sorted[start + (count / 2)]);

    private static double Mean(double[] values, int lo, int hi)
    {
        double s = 0;
        for (int i = lo; i < hi; i++)
        {
            s += values[i];
        }

        return s / (hi - lo);
    }

    internal static double MedianPositive(float[] w)
    {
        int stride = Math.Max(1, (int)((w.LongLength + SkyStatistics.MaxSample - 1) / SkyStatistics.MaxSample));
        var list = new List<float>();
        for (long i = 0; i < w.LongLength; i += stride)
        {
            if (w[i] > 0)
            {
                list.Add(w[i]);
            }
        }

        if (list.Count == 0)
        {
            return 0;
        }

        list.Sort();
        return list[list.Count / 2];
    }
}
