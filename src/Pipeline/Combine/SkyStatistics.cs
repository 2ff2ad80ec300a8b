namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Clipped sky statistics of a chip (AstroDrizzle's skystat with skyclip, skylsigma, skyusigma).</summary>
public static class SkyStatistics
{
    /// <summary>Largest sample the statistics are computed from; larger chips are sampled on a fixed stride.</summary>
    public const int MaxSample = 1 << 20;

    /// <summary>The clipped sky level and standard deviation of the good pixels.</summary>
    /// <param name="data">Pixels.</param>
    /// <param name="good">Good-pixel mask, or null for all.</param>
    /// <param name="statistic">Median or mode.</param>
    /// <param name="clip">Clipping iterations.</param>
    /// <param name="lsigma">Lower limit, sigmas.</param>
    /// <param name="usigma">Upper limit, sigmas.</param>
    /// <returns>The sky and the clipped standard deviation (NaN, NaN without good pixels).</returns>
    public static (double Sky, double Sigma) Compute(ReadOnlySpan<float> data, ReadOnlySpan<bool> good, SkyStatistic statistic, int clip = 5, double lsigma = 4, double usigma = 4)
    {
        int stride = Math.Max(1, (int)((data.Length + (long)MaxSample - 1) / MaxSample));
        var sample = new List<double>(Math.Min(data.Length, MaxSample));
        for (int i = 0; i < data.Length; i += stride)
        {
            float v = data[i];
            if (float.IsFinite(v) && (good.IsEmpty || good[i]))
            {
                sample.Add(v);
            }
        }

        if (sample.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        double[] values = [.. sample];
        Array.Sort(values);
        int lo = 0, hi = values.Length;
        double median = 0, mean = 0, sd = 0;
        for (int it = 0; it <= clip; it++)
        {
            int n = hi - lo;
            median = n % 2 == 1 ? values[lo + (n / 2)] : 0.5 * (values[lo + (n / 2) - 1] + values[lo + (n / 2)]);
            double s = 0, s2 = 0;
            for (int k = lo; k < hi; k++)
            {
                s += values[k];
            }

            mean = s / n;
            for (int k = lo; k < hi; k++)
            {
                double d = values[k] - mean;
                s2 += d * d;
            }

            sd = n > 1 ? Math.Sqrt(s2 / (n - 1)) : 0;
            if (it == clip || sd == 0)
            {
                break;
            }

            double center = statistic == SkyStatistic.Mode ? Mode(median, mean) : median;
            int nlo = LowerBound(values, center - (lsigma * sd));
            int nhi = UpperBound(values, center + (usigma * sd));
            nlo = Math.Max(nlo, lo);
            nhi = Math.Min(nhi, hi);
            if (nhi - nlo < 3 || (nlo == lo && nhi == hi))
            {
                break;
            }

            (lo, hi) = (nlo, nhi);
        }

        double sky = statistic == SkyStatistic.Mode ? Mode(median, mean) : median;
        return (sky, sd);
    }

    private static double Mode(double median, double mean) => (3.0 * median) - (2.0 * mean);

    private static int LowerBound(double[] a, double v)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] a, double v)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
