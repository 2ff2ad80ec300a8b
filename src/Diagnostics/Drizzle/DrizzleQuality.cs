using System.Numerics;

namespace TweakDrizzle.Diagnostics.Drizzle;

/// <summary>Quality figures of drizzle products: holes, coverage, weight uniformity, context counts.</summary>
public static class DrizzleQuality
{
    /// <summary>
    /// The footprint: pixels that lie between the first and last covered (weight &gt; 0) pixel of their row
    /// <em>and</em> between the first and last covered pixel of their column. Zero-weight pixels inside it are holes
    /// (missing dither coverage, chip gaps, too small a pixfrac); those outside are simply off the data.
    /// </summary>
    /// <param name="weight">The weight image, row-major.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <returns>Row-major flags, true inside the footprint.</returns>
    public static bool[] Footprint(ReadOnlySpan<float> weight, int width, int height)
    {
        Images.ImageOps.CheckShape(weight.Length, width, height);
        var rowLo = new int[height];
        var rowHi = new int[height];
        var colLo = new int[width];
        var colHi = new int[width];
        Array.Fill(rowLo, int.MaxValue);
        Array.Fill(rowHi, -1);
        Array.Fill(colLo, int.MaxValue);
        Array.Fill(colHi, -1);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (Covered(weight[(y * width) + x]))
                {
                    rowLo[y] = Math.Min(rowLo[y], x);
                    rowHi[y] = x;
                    colLo[x] = Math.Min(colLo[x], y);
                    colHi[x] = y;
                }
            }
        }

        var inside = new bool[weight.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = rowLo[y]; x <= rowHi[y]; x++)
            {
                inside[(y * width) + x] = y >= colLo[x] && y <= colHi[x];
            }
        }

        return inside;
    }

    /// <summary>Holes: zero-weight (or NaN) pixels inside the <see cref="Footprint"/>.</summary>
    /// <param name="weight">The weight image.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <returns>Row-major flags, true for a hole.</returns>
    public static bool[] Holes(ReadOnlySpan<float> weight, int width, int height)
    {
        bool[] holes = Footprint(weight, width, height);
        for (int i = 0; i < holes.Length; i++)
        {
            holes[i] &= !Covered(weight[i]);
        }

        return holes;
    }

    /// <summary>Weight-map statistics. RMS and median are taken over the footprint pixels in the central part of
    /// the footprint's bounding box (the middle <paramref name="centralFraction"/> along each axis), holes included
    /// as zero weight, as the DrizzlePac pixfrac recipe measures them away from the ragged edges.</summary>
    /// <param name="weight">The weight image.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="centralFraction">Part of the bounding box used for RMS and median, in (0, 1].</param>
    /// <returns>The statistics; NaN figures when nothing is covered.</returns>
    public static WeightStatistics Measure(ReadOnlySpan<float> weight, int width, int height, double centralFraction = 0.8)
    {
        if (!(centralFraction > 0 && centralFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(centralFraction), centralFraction, "The central fraction must be in (0, 1].");
        }

        bool[] inside = Footprint(weight, width, height);
        long footprint = 0, holes = 0, covered = 0;
        int x0 = int.MaxValue, x1 = -1, y0 = int.MaxValue, y1 = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                bool cov = Covered(weight[i]);
                covered += cov ? 1 : 0;
                if (inside[i])
                {
                    footprint++;
                    holes += cov ? 0 : 1;
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y);
                    y1 = Math.Max(y1, y);
                }
            }
        }

        if (footprint == 0)
        {
            return new WeightStatistics(double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, 0);
        }

        double trim = (1 - centralFraction) / 2;
        int cx0 = x0 + (int)Math.Floor((x1 - x0 + 1) * trim), cx1 = x1 - (int)Math.Floor((x1 - x0 + 1) * trim);
        int cy0 = y0 + (int)Math.Floor((y1 - y0 + 1) * trim), cy1 = y1 - (int)Math.Floor((y1 - y0 + 1) * trim);
        // The central weights in a float array of the exact size (a full-size mosaic has ~10^8 of them).
        long count = 0;
        for (int y = cy0; y <= cy1; y++)
        {
            for (int x = cx0; x <= cx1; x++)
            {
                count += inside[(y * width) + x] ? 1 : 0;
            }
        }

        var values = new float[count];
        long n = 0;
        for (int y = cy0; y <= cy1; y++)
        {
            for (int x = cx0; x <= cx1; x++)
            {
                int i = (y * width) + x;
                if (inside[i])
                {
                    float w = weight[i];
                    values[n++] = Covered(w) ? w : 0f;
                }
            }
        }

        Array.Sort(values);
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        double mean = sum / values.Length;
        double squares = 0;
        foreach (float v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        double rms = Math.Sqrt(squares / values.Length);
        double median = values.Length % 2 == 1 ? values[values.Length / 2] : 0.5 * ((double)values[(values.Length / 2) - 1] + values[values.Length / 2]);
        return new WeightStatistics(median, rms, median > 0 ? rms / median : double.NaN, (double)holes / footprint, (double)covered / weight.Length, footprint, holes);
    }

    /// <summary>Number of inputs contributing to each pixel: the population count of its context bits over all planes.</summary>
    /// <param name="context">Context planes, plane after plane, each <paramref name="pixels"/> values.</param>
    /// <param name="pixels">Pixels per plane (width × height).</param>
    /// <param name="planes">Number of planes.</param>
    /// <returns>Counts per pixel.</returns>
    public static float[] ContextCount(ReadOnlySpan<int> context, int pixels, int planes)
    {
        if (pixels < 1 || planes < 1 || (long)pixels * planes != context.Length)
        {
            throw new ArgumentException($"{planes} context plane(s) of {pixels} pixels need {(long)pixels * planes} values, not {context.Length}.");
        }

        var count = new float[pixels];
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<int> plane = context.Slice(p * pixels, pixels);
            for (int i = 0; i < pixels; i++)
            {
                count[i] += BitOperations.PopCount((uint)plane[i]);
            }
        }

        return count;
    }

    private static bool Covered(float w) => w > 0 && float.IsFinite(w);
}
