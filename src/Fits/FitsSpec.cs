using System.Globalization;

namespace TweakDrizzle.Fits;

/// <summary>
/// An image address: <c>file.fits</c> (the first HDU holding image data), <c>file.fits[N]</c> (0-based HDU index),
/// <c>file.fits[SCI]</c> (the first HDU with that EXTNAME) or <c>file.fits[SCI,2]</c> (EXTNAME and EXTVER).
/// </summary>
/// <param name="Path">The file path without the bracket suffix.</param>
/// <param name="Index">The HDU index, or null.</param>
/// <param name="ExtName">The EXTNAME (compared case-insensitively), or null.</param>
/// <param name="ExtVer">The EXTVER, or null for "any".</param>
public sealed record FitsSpec(string Path, int? Index = null, string? ExtName = null, int? ExtVer = null)
{
    /// <summary>True when the spec names no HDU (plain file name).</summary>
    public bool IsDefault => Index is null && ExtName is null;

    /// <summary>Parses an address. A trailing <c>[...]</c> is the HDU selector; anything else is the path.</summary>
    /// <param name="spec">The address text.</param>
    /// <returns>The parsed address.</returns>
    /// <exception cref="FitsException">The bracket part is malformed (e.g. <c>[SCI,x]</c>, <c>[-1]</c>).</exception>
    public static FitsSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim();
        if (!s.EndsWith(']'))
        {
            return new FitsSpec(s);
        }

        int open = s.LastIndexOf('[');
        if (open <= 0)
        {
            throw new FitsException($"malformed HDU selector in '{spec}': expected file.fits[N] or file.fits[EXTNAME,EXTVER]");
        }

        string path = s[..open];
        string inner = s[(open + 1)..^1].Trim();
        string[] parts = inner.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return new FitsSpec(path, Index: index);
        }

        if (parts.Length is 1 or 2 && parts[0].Length > 0 && !char.IsAsciiDigit(parts[0][0]) && parts[0][0] != '-')
        {
            if (parts.Length == 1)
            {
                return new FitsSpec(path, ExtName: parts[0]);
            }

            if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ver))
            {
                return new FitsSpec(path, ExtName: parts[0], ExtVer: ver);
            }
        }

        throw new FitsException($"malformed HDU selector '[{inner}]' in '{spec}': expected [N] or [EXTNAME] or [EXTNAME,EXTVER]");
    }

    /// <summary>The address in the <c>file.fits[SCI,2]</c> form.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Index is int i ? string.Create(CultureInfo.InvariantCulture, $"{Path}[{i}]")
        : ExtName is null ? Path
        : ExtVer is int v ? string.Create(CultureInfo.InvariantCulture, $"{Path}[{ExtName},{v}]")
        : $"{Path}[{ExtName}]";
}
