using TweakDrizzle.Resample;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>
/// Where a chip lands on a grid, from its transform sampled every <see cref="Sample"/> input pixels along three rows
/// of every drizzle band (<see cref="Drizzle.BandHeight"/> input rows): the overall bounds and, per band, the range of
/// output rows it reaches. Used to size windows and to pick the input rows an output tile needs; callers add a margin
/// for the kernel's reach and the curvature between samples.
/// </summary>
internal sealed class ChipFootprint
{
    private const int Sample = 64;

    private ChipFootprint(double xmin, double xmax, double ymin, double ymax, double[] bandYmin, double[] bandYmax)
    {
        Xmin = xmin;
        Xmax = xmax;
        Ymin = ymin;
        Ymax = ymax;
        BandYmin = bandYmin;
        BandYmax = bandYmax;
    }

    public double Xmin { get; }

    public double Xmax { get; }

    public double Ymin { get; }

    public double Ymax { get; }

    /// <summary>Lowest output y reached from each input band (−∞ where unmapped, to be safe).</summary>
    public double[] BandYmin { get; }

    /// <summary>Highest output y reached from each input band (+∞ where unmapped).</summary>
    public double[] BandYmax { get; }

    public static ChipFootprint Measure(PixelTransform transform, int width, int height)
    {
        var xs = new List<double>();
        for (double x = -0.5; x < width - 0.5; x += Sample)
        {
            xs.Add(x);
        }

        xs.Add(width - 0.5);
        int n = xs.Count;
        double[] xi = [.. xs];
        var yi = new double[n];
        var xo = new double[n];
        var yo = new double[n];
        int bands = (height + Drizzle.BandHeight - 1) / Drizzle.BandHeight;
        var bmin = new double[bands];
        var bmax = new double[bands];
        double xmin = double.PositiveInfinity, xmax = double.NegativeInfinity, ymin = double.PositiveInfinity, ymax = double.NegativeInfinity;
        for (int b = 0; b < bands; b++)
        {
            double top = (b * (double)Drizzle.BandHeight) - 0.5;
            double bottom = Math.Min(((b + 1) * (double)Drizzle.BandHeight) - 0.5, height - 0.5);
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            bool unmapped = false;
            foreach (double y in (ReadOnlySpan<double>)[top, 0.5 * (top + bottom), bottom])
            {
                Array.Fill(yi, y);
                transform(xi, yi, xo, yo);
                for (int k = 0; k < n; k++)
                {
                    if (!double.IsFinite(xo[k]) || !double.IsFinite(yo[k]))
                    {
                        unmapped = true;
                        continue;
                    }

                    lo = Math.Min(lo, yo[k]);
                    hi = Math.Max(hi, yo[k]);
                    xmin = Math.Min(xmin, xo[k]);
                    xmax = Math.Max(xmax, xo[k]);
                }
            }

            (bmin[b], bmax[b]) = unmapped ? (double.NegativeInfinity, double.PositiveInfinity) : (lo, hi);
            if (lo <= hi)
            {
                ymin = Math.Min(ymin, lo);
                ymax = Math.Max(ymax, hi);
            }
        }

        return new ChipFootprint(xmin, xmax, ymin, ymax, bmin, bmax);
    }

    /// <summary>The input rows (whole bands) whose output reaches rows [<paramref name="row0"/>, <paramref name="row1"/>] within <paramref name="margin"/>; null when none.</summary>
    public (int First, int Last)? RowsReaching(int row0, int row1, double margin, int height)
    {
        int first = -1, last = -1;
        for (int b = 0; b < BandYmin.Length; b++)
        {
            if (BandYmax[b] + margin >= row0 - 0.5 && BandYmin[b] - margin <= row1 + 0.5)
            {
                first = first < 0 ? b : first;
                last = b;
            }
        }

        return first < 0 ? null : (first * Drizzle.BandHeight, Math.Min(((last + 1) * Drizzle.BandHeight) - 1, height - 1));
    }
}
