using System.Globalization;

namespace TweakDrizzle.Resample;

/// <summary>
/// A drizzle fill value: <c>INDEF</c> (leave output pixels without weight untouched; NaN for outputs the engine
/// allocates itself), <c>NaN</c>, or a number.
/// </summary>
public readonly record struct FillValue
{
    private FillValue(bool isIndef, float value)
    {
        IsIndef = isIndef;
        Value = value;
    }

    /// <summary>True for INDEF.</summary>
    public bool IsIndef { get; }

    /// <summary>The fill value (NaN for INDEF).</summary>
    public float Value { get; }

    /// <summary>INDEF: pixels without weight keep their value (NaN in a fresh output).</summary>
    public static FillValue Indef { get; } = new(true, float.NaN);

    /// <summary>A numeric (or NaN) fill value.</summary>
    /// <param name="value">The value written where the output weight is 0.</param>
    /// <returns>The fill value.</returns>
    public static FillValue Of(float value) => new(false, value);

    /// <summary>Parses "INDEF", "" (INDEF), "NaN" or a number, as drizzle does.</summary>
    /// <param name="text">The text; null means INDEF.</param>
    /// <returns>The fill value.</returns>
    /// <exception cref="ResampleException">The text is neither INDEF nor a number.</exception>
    public static FillValue Parse(string? text)
    {
        if (text is null)
        {
            return Indef;
        }

        string t = text.Trim();
        if (t.Length == 0 || t.Equals("INDEF", StringComparison.OrdinalIgnoreCase))
        {
            return Indef;
        }

        if (t.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            return Of(float.NaN);
        }

        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            return Of((float)v);
        }

        throw new ResampleException($"fill value '{text}' is neither INDEF, NaN nor a number");
    }

    /// <inheritdoc/>
    public override string ToString() => IsIndef ? "INDEF" : Value.ToString(CultureInfo.InvariantCulture);
}
