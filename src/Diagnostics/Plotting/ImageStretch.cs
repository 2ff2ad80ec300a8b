namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>How image values are mapped to display brightness.</summary>
public enum StretchKind
{
    /// <summary>y = x.</summary>
    Linear,

    /// <summary>y = log(a·x + 1) / log(a + 1) (astropy's LogStretch; a = 1000 by default).</summary>
    Log,

    /// <summary>y = asinh(x / a) / asinh(1 / a) (astropy's AsinhStretch; a = 0.1 by default): linear near
    /// the sky, logarithmic for bright stars.</summary>
    Asinh,
}

/// <summary>
/// Maps data values to [0, 1]: first x = (v − Vmin) / (Vmax − Vmin) clipped to [0, 1], then the stretch.
/// </summary>
/// <param name="Kind">The stretch.</param>
/// <param name="Vmin">Data value shown as black (the start of the colour map).</param>
/// <param name="Vmax">Data value shown as white (the end of the colour map).</param>
/// <param name="A">The stretch parameter: a for <see cref="StretchKind.Log"/> and <see cref="StretchKind.Asinh"/>;
/// NaN picks the default (1000, resp. 0.1).</param>
public sealed record ImageStretch(StretchKind Kind, double Vmin, double Vmax, double A = double.NaN)
{
    /// <summary>The stretch parameter actually used.</summary>
    public double Parameter => double.IsNaN(A) ? Kind switch { StretchKind.Log => 1000.0, StretchKind.Asinh => 0.1, _ => 1.0 } : A;

    /// <summary>Display value in [0, 1] of a data value; NaN stays NaN.</summary>
    /// <param name="value">The data value.</param>
    /// <returns>The stretched value.</returns>
    public double Forward(double value)
    {
        if (double.IsNaN(value))
        {
            return double.NaN;
        }

        double span = Vmax - Vmin;
        double x = span > 0 ? Math.Clamp((value - Vmin) / span, 0, 1) : (value >= Vmax ? 1 : 0);
        double a = Parameter;
        return Kind switch
        {
            StretchKind.Log => Math.Log((a * x) + 1) / Math.Log(a + 1),
            StretchKind.Asinh => Math.Asinh(x / a) / Math.Asinh(1 / a),
            _ => x,
        };
    }

    /// <summary>Data value whose display value is <paramref name="y"/> (in [0, 1]).</summary>
    /// <param name="y">The stretched value.</param>
    /// <returns>The data value.</returns>
    public double Inverse(double y)
    {
        y = Math.Clamp(y, 0, 1);
        double a = Parameter;
        double x = Kind switch
        {
            StretchKind.Log => (Math.Pow(a + 1, y) - 1) / a,
            StretchKind.Asinh => a * Math.Sinh(y * Math.Asinh(1 / a)),
            _ => y,
        };
        return Vmin + (x * (Vmax - Vmin));
    }

    /// <summary>A stretch whose limits are the given percentiles of the finite values.</summary>
    /// <param name="kind">The stretch.</param>
    /// <param name="values">The data (NaN and infinities are ignored).</param>
    /// <param name="lowPercent">Percentile shown as black, for example 0.5.</param>
    /// <param name="highPercent">Percentile shown as white, for example 99.5.</param>
    /// <returns>The stretch; [0, 1] when there are no finite values.</returns>
    public static ImageStretch FromPercentiles(StretchKind kind, ReadOnlySpan<float> values, double lowPercent = 0.5, double highPercent = 99.5)
    {
        var finite = new List<float>(values.Length);
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                finite.Add(v);
            }
        }

        if (finite.Count == 0)
        {
            return new ImageStretch(kind, 0, 1);
        }

        finite.Sort();
        double lo = Percentile(finite, lowPercent), hi = Percentile(finite, highPercent);
        if (!(hi > lo))
        {
            hi = finite[^1] > lo ? finite[^1] : lo + 1;
        }

        return new ImageStretch(kind, lo, hi);
    }

    /// <summary>Linear-interpolated percentile of sorted values (numpy's default method).</summary>
    internal static double Percentile(List<float> sorted, double percent)
    {
        double pos = Math.Clamp(percent, 0, 100) / 100 * (sorted.Count - 1);
        int i = (int)Math.Floor(pos);
        int j = Math.Min(i + 1, sorted.Count - 1);
        return sorted[i] + ((pos - i) * (sorted[j] - (double)sorted[i]));
    }
}
