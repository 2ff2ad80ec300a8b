using TweakDrizzle.Fits;

namespace TweakDrizzle.Wcs;

public sealed partial class FitsWcs
{
    /// <summary>
    /// Reads one WCS description from a FITS header: the primary (<paramref name="alt"/> = ' ') or an alternate
    /// one (A–Z, keywords with that letter appended, WCSNAMEa).
    /// </summary>
    /// <param name="header">The header.</param>
    /// <param name="alt">' ' for the primary description, or a letter A–Z.</param>
    /// <returns>The WCS.</returns>
    /// <remarks>
    /// <para>Accepted: CTYPE <c>xxxx-TAN</c>, <c>xxxx-TAN-SIP</c> and <c>xxxx-TPV</c> with longitude on axis 1 and
    /// latitude on axis 2. The linear part is PCi_j × CDELTi when any PCi_j is present (as in wcslib), else CDi_j
    /// (missing elements 0), else CDELTi with CROTA2. CRPIX/CRVAL default to 0 when absent. SIP keywords
    /// (A_ORDER, A_p_q, B_…, AP_…, BP_…) carry no key letter and are shared by every description whose CTYPE ends
    /// in -SIP. TPV reads PV1_k and PV2_k (k = 0..39, absent = 0, as wcslib). For plain TAN, PV1_3/PV1_4 stand for
    /// LONPOLE/LATPOLE; a moved native reference point (PV1_1/PV1_2) is refused.</para>
    /// </remarks>
    /// <exception cref="WcsException">The description is missing, unsupported or inconsistent.</exception>
    public static FitsWcs FromHeader(FitsHeader header, char alt = ' ')
    {
        ArgumentNullException.ThrowIfNull(header);
        return WcsHeaderReader.Read(new HeaderKeywords(header), alt);
    }

    /// <summary>
    /// Reads the WCS of a FITS image or of a text file of header cards: <c>file.fits</c> (the first HDU holding
    /// data), <c>file.fits[N]</c>, <c>file.fits[SCI,2]</c>, <c>.fits.gz</c>, or a <c>.hdr</c> file of
    /// 80-character cards, one per line, ending with END.
    /// </summary>
    /// <param name="imageOrHeader">The image specification or card file path.</param>
    /// <param name="alt">' ' for the primary description, or a letter A–Z.</param>
    /// <returns>The WCS.</returns>
    /// <remarks>A file without an extension selector whose first card holds a line break is read as card text
    /// (<see cref="FitsFile.ReadHeader"/>); anything else as FITS, with the HST lookup-table distortions (D2IM, NPOL)
    /// the header names read from the file's <c>D2IMARR</c> and <c>WCSDVARR</c> extensions
    /// (<see cref="LookupDistortion.Read"/>).</remarks>
    /// <exception cref="WcsException">The header holds no usable WCS, or a lookup table it names is missing.</exception>
    /// <exception cref="FitsException">The file is not valid FITS or the extension does not exist.</exception>
    public static FitsWcs FromFile(string imageOrHeader, char alt = ' ')
    {
        ArgumentNullException.ThrowIfNull(imageOrHeader);
        FitsSpec spec = FitsSpec.Parse(imageOrHeader);
        if (spec.IsDefault && FitsFile.LooksLikeCardText(spec.Path))
        {
            return FromHeader(FitsFile.ReadHeader(imageOrHeader), alt);
        }

        using FitsFile file = FitsFile.Open(spec.Path);
        return FromHeader(file.Select(spec).Header, file, alt);
    }

    /// <summary>
    /// Reads a WCS from a header of <paramref name="file"/>, with the HST lookup-table distortions (D2IM, NPOL) the
    /// header names read from the file's extensions (<see cref="LookupDistortion.Read"/>).
    /// </summary>
    /// <param name="header">The header (of an HDU of <paramref name="file"/>, or built from one).</param>
    /// <param name="file">The file holding the lookup-table extensions.</param>
    /// <param name="alt">' ' for the primary description, or a letter A–Z.</param>
    /// <returns>The WCS.</returns>
    /// <exception cref="WcsException">The header holds no usable WCS, or a lookup table it names is missing.</exception>
    public static FitsWcs FromHeader(FitsHeader header, FitsFile file, char alt = ' ')
    {
        ArgumentNullException.ThrowIfNull(file);
        FitsWcs wcs = FromHeader(header, alt);
        return LookupDistortion.Read(header, file) is { } lookup ? wcs.WithLookup(lookup) : wcs;
    }

    /// <summary>
    /// Writes this WCS into <paramref name="header"/> as the primary (' ') or an alternate (A–Z) description, in
    /// CD-matrix form: conflicting PCi_j, CDELTi, CROTAi and PV keywords of that description are removed.
    /// </summary>
    /// <param name="header">The header to update in place (existing cards are replaced where they are).</param>
    /// <param name="alt">' ' for the primary description, or a letter A–Z.</param>
    /// <remarks>
    /// <para>Reading the header back with <see cref="FromHeader(FitsHeader, char)"/> gives a WCS equal to this one (doubles are
    /// written so that they read back exactly).</para>
    /// <para>SIP coefficients have no alternate-key form. Writing the primary description rewrites them (only
    /// when they change, so an unchanged distortion keeps its cards); writing an alternate one with SIP adds them
    /// when the header has none, and is refused when the header's differ.</para>
    /// </remarks>
    /// <exception cref="WcsException">An alternate description with SIP different from the header's, or a bad key.</exception>
    public void WriteTo(FitsHeader header, char alt = ' ')
    {
        ArgumentNullException.ThrowIfNull(header);
        WcsHeaderWriter.Write(new HeaderKeywords(header), this, alt);
    }

    /// <summary>True when the header holds the given description (CTYPE1a is present).</summary>
    /// <param name="header">The header.</param>
    /// <param name="alt">' ' for the primary description, or a letter A–Z.</param>
    public static bool HasWcs(FitsHeader header, char alt = ' ')
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Contains("CTYPE1" + WcsHeaderReader.Suffix(alt));
    }

    /// <summary>The descriptions present in a header: ' ' for the primary one, then the letters in order.</summary>
    /// <param name="header">The header.</param>
    public static IReadOnlyList<char> AlternateKeys(FitsHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var keys = new List<char>();
        foreach (char c in " ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        {
            if (HasWcs(header, c))
            {
                keys.Add(c);
            }
        }

        return keys;
    }

    /// <summary>
    /// The first letter A–Z that no description in the header uses (neither CTYPE1a nor WCSNAMEa present): where
    /// an alignment archives the previous WCS before writing a new primary one.
    /// </summary>
    /// <param name="header">The header.</param>
    /// <exception cref="WcsException">All 26 letters are taken.</exception>
    public static char NextFreeAlternateKey(FitsHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (char c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        {
            if (!header.Contains("CTYPE1" + c) && !header.Contains("WCSNAME" + c))
            {
                return c;
            }
        }

        throw new WcsException("the header already holds 26 alternate WCS descriptions (A-Z): no key is free");
    }

    /// <summary>
    /// The key of the description named <paramref name="wcsName"/> (WCSNAME or WCSNAMEa, compared without case),
    /// or null when no description has that name.
    /// </summary>
    /// <param name="header">The header.</param>
    /// <param name="wcsName">The name to look for.</param>
    public static char? FindByName(FitsHeader header, string wcsName)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(wcsName);
        foreach (char c in " ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        {
            if (header.TryGetString("WCSNAME" + WcsHeaderReader.Suffix(c), out string? name)
                && string.Equals(name.Trim(), wcsName.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Adapts a <see cref="FitsHeader"/> to the keyword interfaces; a present non-numeric value is an error.</summary>
    private sealed class HeaderKeywords(FitsHeader header) : IWcsKeywordSink
    {
        public bool Contains(string key) => header.Contains(key);

        public bool TryGetDouble(string key, out double value)
        {
            if (header.TryGetDouble(key, out value))
            {
                return true;
            }

            if (header.TryGetCard(key, out FitsCard? card) && card.Kind != FitsValueKind.Undefined)
            {
                throw new WcsException($"keyword {key} must hold a number, not {card.Value}");
            }

            return false;
        }

        public bool TryGetString(string key, out string? value)
        {
            if (header.TryGetString(key, out value))
            {
                return true;
            }

            if (header.TryGetCard(key, out FitsCard? card) && card.Kind != FitsValueKind.Undefined)
            {
                throw new WcsException($"keyword {key} must hold a string, not {card.Value}");
            }

            return false;
        }

        public void Set(string key, object value, string? comment) => header.Set(key, value, comment);

        public bool Remove(string key) => header.RemoveAll(key) > 0;
    }
}
