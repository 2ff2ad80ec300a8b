using System.Globalization;

namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>An opaque sRGB colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct PlotColor(byte R, byte G, byte B)
{
    /// <summary>White.</summary>
    public static PlotColor White => new(255, 255, 255);

    /// <summary>Black.</summary>
    public static PlotColor Black => new(0, 0, 0);

    /// <summary>Parses <c>#RRGGBB</c> or <c>RRGGBB</c>.</summary>
    /// <param name="hex">Six hexadecimal digits, optionally after '#'.</param>
    /// <returns>The colour.</returns>
    /// <exception cref="FormatException">The text is not six hexadecimal digits.</exception>
    public static PlotColor FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        string h = hex.StartsWith('#') ? hex[1..] : hex;
        if (h.Length != 6 || !int.TryParse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v))
        {
            throw new FormatException($"'{hex}' is not a colour of the form #RRGGBB.");
        }

        return FromRgb(v);
    }

    /// <summary>The colour 0xRRGGBB.</summary>
    /// <param name="rgb">Red in bits 16–23, green in 8–15, blue in 0–7.</param>
    /// <returns>The colour.</returns>
    public static PlotColor FromRgb(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    /// <summary>Mixes this colour with <paramref name="other"/>: 0 gives this colour, 1 gives the other.</summary>
    /// <param name="other">The colour to mix in.</param>
    /// <param name="t">The fraction of <paramref name="other"/>, clamped to [0, 1].</param>
    /// <returns>The mixed colour.</returns>
    public PlotColor Mix(PlotColor other, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new(
            (byte)Math.Round(R + ((other.R - R) * t)),
            (byte)Math.Round(G + ((other.G - G) * t)),
            (byte)Math.Round(B + ((other.B - B) * t)));
    }

    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    /// <returns>The hexadecimal form.</returns>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");
}

/// <summary>
/// The colours every plot uses: the Okabe–Ito palette (safe for colour-blind readers) for data, dark greys for
/// text and axes, light grey for grids.
/// </summary>
public static class PlotPalette
{
    /// <summary>Blue (#0072B2): the main data colour.</summary>
    public static PlotColor Blue => PlotColor.FromRgb(0x0072B2);

    /// <summary>Orange (#E69F00).</summary>
    public static PlotColor Orange => PlotColor.FromRgb(0xE69F00);

    /// <summary>Vermillion (#D55E00): marks what needs attention (peaks, holes, thresholds).</summary>
    public static PlotColor Vermillion => PlotColor.FromRgb(0xD55E00);

    /// <summary>Bluish green (#009E73).</summary>
    public static PlotColor Green => PlotColor.FromRgb(0x009E73);

    /// <summary>Sky blue (#56B4E9).</summary>
    public static PlotColor SkyBlue => PlotColor.FromRgb(0x56B4E9);

    /// <summary>Reddish purple (#CC79A7).</summary>
    public static PlotColor Purple => PlotColor.FromRgb(0xCC79A7);

    /// <summary>Yellow (#F0E442).</summary>
    public static PlotColor Yellow => PlotColor.FromRgb(0xF0E442);

    /// <summary>Text colour (#222222).</summary>
    public static PlotColor Text => PlotColor.FromRgb(0x222222);

    /// <summary>Secondary text colour (#555555), for subtitles and notes.</summary>
    public static PlotColor MutedText => PlotColor.FromRgb(0x555555);

    /// <summary>Axis frame and tick colour (#333333).</summary>
    public static PlotColor Axis => PlotColor.FromRgb(0x333333);

    /// <summary>Grid line colour (#E3E3E3).</summary>
    public static PlotColor Grid => PlotColor.FromRgb(0xE3E3E3);

    /// <summary>Colour for missing (NaN) cells of heat maps (#D9D9D9).</summary>
    public static PlotColor Missing => PlotColor.FromRgb(0xD9D9D9);

    /// <summary>The data colours in order, for series that need one each.</summary>
    /// <param name="index">The series number, 0-based; wraps around.</param>
    /// <returns>The colour for that series.</returns>
    public static PlotColor Series(int index)
    {
        PlotColor[] all = [Blue, Orange, Green, Vermillion, SkyBlue, Purple, Yellow];
        return all[((index % all.Length) + all.Length) % all.Length];
    }
}

/// <summary>The output formats of a figure.</summary>
public enum PlotFormat
{
    /// <summary>Portable Network Graphics raster.</summary>
    Png,

    /// <summary>Scalable Vector Graphics.</summary>
    Svg,

    /// <summary>Portable Document Format (metadata pinned, so the bytes are reproducible).</summary>
    Pdf,
}
