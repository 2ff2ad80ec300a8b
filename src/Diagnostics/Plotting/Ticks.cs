using System.Globalization;
using System.Text;

namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>A set of axis ticks: values, the step between them and their labels.</summary>
/// <param name="Values">Tick values in increasing order, all inside the range asked for.</param>
/// <param name="Labels">One label per value, formatted with a common number of decimals.</param>
/// <param name="Step">The distance between neighbouring ticks (a 1, 2, 2.5 or 5 times a power of ten).</param>
public sealed record TickSet(IReadOnlyList<double> Values, IReadOnlyList<string> Labels, double Step);

/// <summary>"Nice" axis ticks: steps of 1, 2, 2.5 or 5 times a power of ten, as many as fit.</summary>
public static class NiceTicks
{
    private static readonly double[] Mantissas = [1, 2, 2.5, 5, 10];

    /// <summary>The smallest nice step (1, 2, 2.5, 5 × 10ⁿ) that is at least <paramref name="rawStep"/>.</summary>
    /// <param name="rawStep">A positive step.</param>
    /// <returns>The nice step.</returns>
    public static double NiceStep(double rawStep)
    {
        if (!(rawStep > 0) || double.IsInfinity(rawStep))
        {
            throw new ArgumentOutOfRangeException(nameof(rawStep), rawStep, "A tick step must be positive and finite.");
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rawStep)));
        foreach (double m in Mantissas)
        {
            if (m * magnitude >= rawStep * (1 - 1e-9))
            {
                return m * magnitude;
            }
        }

        return 10 * magnitude;
    }

    /// <summary>Ticks inside [<paramref name="min"/>, <paramref name="max"/>], at most <paramref name="maxTicks"/>
    /// of them (at least two when the range allows).</summary>
    /// <param name="min">Lower end of the axis.</param>
    /// <param name="max">Upper end of the axis.</param>
    /// <param name="maxTicks">The most ticks wanted (2 or more).</param>
    /// <returns>The ticks with labels.</returns>
    public static TickSet Compute(double min, double max, int maxTicks = 7)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
        {
            throw new ArgumentException($"An axis needs finite limits with max > min (got {min} to {max}).", nameof(max));
        }

        maxTicks = Math.Max(2, maxTicks);
        double span = max - min;
        double step = NiceStep(span / (maxTicks - 1));
        List<double> values = Generate(min, max, step);
        while (values.Count > maxTicks)
        {
            step = NiceStep(step * 1.0001);
            values = Generate(min, max, step);
        }

        if (values.Count == 0)
        {
            // The range falls between two ticks: one tick at its middle, rounded to a tenth of the step.
            step /= 10;
            values = [Math.Round((min + max) / 2 / step) * step];
        }

        return new TickSet(values, FormatAll(values, step), step);
    }

    /// <summary>Labels for <paramref name="values"/> that are multiples of <paramref name="step"/>, with just
    /// enough decimals to tell them apart; minus signs are typographic (U+2212).</summary>
    /// <param name="values">The tick values.</param>
    /// <param name="step">Their common step.</param>
    /// <returns>One label per value.</returns>
    public static IReadOnlyList<string> FormatAll(IReadOnlyList<double> values, double step)
    {
        ArgumentNullException.ThrowIfNull(values);
        double largest = values.Count == 0 ? 0 : values.Max(Math.Abs);
        if (largest >= 1e6 || (largest > 0 && largest < 1e-4))
        {
            // One exponent for all labels (that of the largest value), with the decimals the step needs.
            int exponent = (int)Math.Floor(Math.Log10(largest));
            double scale = Math.Pow(10, exponent);
            int decimalsSci = Decimals(step / scale);
            string power = "×10" + Superscript(exponent);
            return values.Select(v => v == 0 ? "0" : Format(v / scale, decimalsSci) + power).ToArray();
        }

        int decimals = Decimals(step);
        return values.Select(v => Format(v, decimals)).ToArray();
    }

    /// <summary>Number of decimals that shows every multiple of <paramref name="step"/> exactly.</summary>
    /// <param name="step">A nice step.</param>
    /// <returns>Decimals, 0 or more.</returns>
    public static int Decimals(double step)
    {
        for (int d = 0; d < 12; d++)
        {
            double scaled = step * Math.Pow(10, d);
            if (scaled >= 1 - 1e-9 && Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * scaled)
            {
                return d;
            }
        }

        return 12;
    }

    /// <summary>Formats a number with fixed decimals, a typographic minus and no negative zero.</summary>
    /// <param name="value">The number.</param>
    /// <param name="decimals">Digits after the point.</param>
    /// <returns>The text.</returns>
    public static string Format(double value, int decimals)
    {
        string s = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (s.StartsWith('-'))
        {
            s = s.TrimStart('-');
            if (s.Any(c => c is >= '1' and <= '9'))
            {
                s = "\u2212" + s;
            }
        }

        return s;
    }

    /// <summary>An integer written with Unicode superscript digits (for powers of ten).</summary>
    /// <param name="n">The integer.</param>
    /// <returns>Superscript text such as ⁻³.</returns>
    public static string Superscript(int n)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var sb = new StringBuilder();
        if (n < 0)
        {
            sb.Append('⁻');
        }

        foreach (char c in Math.Abs(n).ToString(CultureInfo.InvariantCulture))
        {
            sb.Append(digits[c - '0']);
        }

        return sb.ToString();
    }

    private static List<double> Generate(double min, double max, double step)
    {
        // Integer multiples of the step with a relative tolerance, so that ticks on the limits are kept.
        double eps = (1e-14 * Math.Max(Math.Abs(min), Math.Abs(max)) / step) + 1e-9;
        long first = (long)Math.Ceiling((min / step) - eps);
        long last = (long)Math.Floor((max / step) + eps);
        var values = new List<double>();
        for (long i = first; i <= last; i++)
        {
            double v = i * step;
            values.Add(Math.Abs(v) < step * 1e-9 ? 0.0 : v);
        }

        return values;
    }
}

/// <summary>A linear map from a data interval to a pixel (point) interval; the pixel interval may be reversed.</summary>
/// <param name="DataMin">Data value mapped to <paramref name="PixelMin"/>.</param>
/// <param name="DataMax">Data value mapped to <paramref name="PixelMax"/>.</param>
/// <param name="PixelMin">Position of <paramref name="DataMin"/>.</param>
/// <param name="PixelMax">Position of <paramref name="DataMax"/>.</param>
public readonly record struct LinearScale(double DataMin, double DataMax, double PixelMin, double PixelMax)
{
    /// <summary>Points per data unit (negative when the pixel interval is reversed).</summary>
    public double Slope => (PixelMax - PixelMin) / (DataMax - DataMin);

    /// <summary>Position of a data value.</summary>
    /// <param name="value">The data value.</param>
    /// <returns>The position in points.</returns>
    public double Map(double value) => PixelMin + ((value - DataMin) * Slope);

    /// <summary>Data value at a position.</summary>
    /// <param name="pixel">The position in points.</param>
    /// <returns>The data value.</returns>
    public double Invert(double pixel) => DataMin + ((pixel - PixelMin) / Slope);
}

/// <summary>A closed data interval for an axis.</summary>
/// <param name="Min">Lower limit.</param>
/// <param name="Max">Upper limit (greater than <paramref name="Min"/>).</param>
public readonly record struct AxisRange(double Min, double Max)
{
    /// <summary>Max − Min.</summary>
    public double Span => Max - Min;

    /// <summary>The range of the finite values, widened by <paramref name="padFraction"/> of its span on each
    /// side; a single value or no value gives a unit-wide range around it (or around 0).</summary>
    /// <param name="values">The data.</param>
    /// <param name="padFraction">Margin as a fraction of the span (0.05 = 5 %).</param>
    /// <returns>The padded range.</returns>
    public static AxisRange FromData(IEnumerable<double> values, double padFraction = 0.05)
    {
        ArgumentNullException.ThrowIfNull(values);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        return Padded(lo, hi, padFraction);
    }

    /// <summary>[lo, hi] widened by <paramref name="padFraction"/> of the span on each side; degenerate
    /// ranges become a unit-wide (or 10 %-wide for large values) range around their value.</summary>
    /// <param name="lo">Lowest value (infinite when there was none).</param>
    /// <param name="hi">Highest value.</param>
    /// <param name="padFraction">Margin as a fraction of the span.</param>
    /// <returns>The padded range.</returns>
    public static AxisRange Padded(double lo, double hi, double padFraction)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            return new AxisRange(-1, 1);
        }

        if (hi - lo <= 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            double half = Math.Max(0.5, Math.Abs(lo) * 0.05);
            return new AxisRange(lo - half, hi + half);
        }

        double pad = (hi - lo) * padFraction;
        return new AxisRange(lo - pad, hi + pad);
    }

    /// <summary>The range symmetric about zero that contains this one.</summary>
    /// <returns>[−m, m] with m = max(|Min|, |Max|).</returns>
    public AxisRange Symmetric()
    {
        double m = Math.Max(Math.Abs(Min), Math.Abs(Max));
        return new AxisRange(-m, m);
    }
}
