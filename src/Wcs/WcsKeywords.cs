namespace TweakDrizzle.Wcs;

/// <summary>Typed read access to header keywords, so the WCS interpretation does not depend on a header class.</summary>
internal interface IWcsKeywordSource
{
    /// <summary>True and the value when <paramref name="key"/> holds a number.</summary>
    bool TryGetDouble(string key, out double value);

    /// <summary>True and the value (trailing blanks removed) when <paramref name="key"/> holds a string.</summary>
    bool TryGetString(string key, out string? value);

    /// <summary>True when <paramref name="key"/> is present.</summary>
    bool Contains(string key);
}

/// <summary>Interprets the WCS keywords of one description (primary or alternate key A–Z).</summary>
internal static class WcsHeaderReader
{
    /// <summary>The keyword suffix of an alternate description: empty for ' ', else the letter.</summary>
    public static string Suffix(char alt)
    {
        if (alt == ' ' || alt == '\0')
        {
            return string.Empty;
        }

        char a = char.ToUpperInvariant(alt);
        if (a is < 'A' or > 'Z')
        {
            throw new WcsException($"'{alt}' is not a WCS key: use ' ' (primary) or a letter A-Z");
        }

        return a.ToString();
    }

    public static FitsWcs Read(IWcsKeywordSource h, char alt)
    {
        string s = Suffix(alt);
        string which = s.Length == 0 ? "primary WCS" : $"alternate WCS '{s}'";
        if (!h.TryGetString("CTYPE1" + s, out string? ctype1) || !h.TryGetString("CTYPE2" + s, out string? ctype2))
        {
            throw new WcsException($"the header has no {which}: CTYPE1{s}/CTYPE2{s} are missing");
        }

        (string lonType, string proj1) = SplitCType(ctype1!);
        (string latType, string proj2) = SplitCType(ctype2!);
        if (!IsLongitude(lonType) || !IsLatitude(latType))
        {
            throw new WcsException(
                $"the {which} has CTYPE1 = '{ctype1}', CTYPE2 = '{ctype2}': only longitude on axis 1 and latitude on axis 2 (RA/DEC, GLON/GLAT, ...) is supported");
        }

        if (proj1 != proj2)
        {
            throw new WcsException($"the {which} has different projections on its axes ('{ctype1}', '{ctype2}')");
        }

        if (proj1 is not ("TAN" or "TAN-SIP" or "TPV"))
        {
            throw new WcsException($"projection '{proj1}' of the {which} is not supported (TAN, TAN-SIP and TPV are)");
        }

        CheckUnit(h, "CUNIT1" + s, which);
        CheckUnit(h, "CUNIT2" + s, which);

        double crpix1 = Get(h, "CRPIX1" + s, 0);
        double crpix2 = Get(h, "CRPIX2" + s, 0);
        double crval1 = Get(h, "CRVAL1" + s, 0);
        double crval2 = Get(h, "CRVAL2" + s, 0);
        Matrix2x2 cd = ReadLinear(h, s, which);

        double? lonpole = h.TryGetDouble("LONPOLE" + s, out double lp) ? lp : null;
        double? latpole = h.TryGetDouble("LATPOLE" + s, out double bp) ? bp : null;

        SipDistortion? sip = null;
        TpvDistortion? tpv = null;
        if (proj1 == "TAN-SIP")
        {
            sip = ReadSip(h);
        }
        else if (proj1 == "TAN" && s.Length == 0 && h.Contains("A_ORDER") && h.Contains("B_ORDER"))
        {
            // As astropy does (with a warning): SIP coefficients in a header whose primary CTYPE lacks -SIP are
            // applied. Alternate descriptions need the explicit -SIP, so a plain TAN alternate stays plain.
            sip = ReadSip(h);
        }
        else if (proj1 == "TPV")
        {
            tpv = ReadTpv(h, s);
        }
        else
        {
            // TAN: PV1_1, PV1_2 are the native reference point (phi0, theta0) and PV1_3, PV1_4 LONPOLE/LATPOLE.
            if ((h.TryGetDouble("PV1_1" + s, out double phi0) && phi0 != 0) || (h.TryGetDouble("PV1_2" + s, out double theta0) && theta0 != 90))
            {
                throw new WcsException($"the {which} is TAN with PV1_1/PV1_2 set, which moves the native reference point (not supported); if these are SCAMP distortion terms, set CTYPE to RA---TPV/DEC--TPV");
            }

            if (lonpole is null && h.TryGetDouble("PV1_3" + s, out double pvLon))
            {
                lonpole = pvLon;
            }

            if (latpole is null && h.TryGetDouble("PV1_4" + s, out double pvLat))
            {
                latpole = pvLat;
            }
        }

        string? radesys = h.TryGetString("RADESYS" + s, out string? r) ? r
            : h.TryGetString("RADECSYS" + s, out string? r2) ? r2 : null;
        double? equinox = h.TryGetDouble("EQUINOX" + s, out double eq) ? eq
            : s.Length == 0 && h.TryGetDouble("EPOCH", out double ep) ? ep : null;
        var metadata = new WcsMetadata
        {
            WcsName = h.TryGetString("WCSNAME" + s, out string? name) ? name : null,
            RadeSys = radesys,
            Equinox = equinox,
            LatPole = latpole,
            LongitudeType = lonType,
            LatitudeType = latType,
            Naxis1 = h.TryGetDouble("NAXIS1", out double n1) ? (long)n1 : 0,
            Naxis2 = h.TryGetDouble("NAXIS2", out double n2) ? (long)n2 : 0,
        };
        return new FitsWcs(crval1, crval2, crpix1, crpix2, cd, sip, tpv, lonpole, metadata);
    }

    private static double Get(IWcsKeywordSource h, string key, double fallback) =>
        h.TryGetDouble(key, out double v) ? v : fallback;

    private static (string Axis, string Projection) SplitCType(string ctype)
    {
        string c = ctype.Trim().ToUpperInvariant();
        if (c.Length < 8 || c[4] != '-')
        {
            return (c.TrimEnd('-'), string.Empty);
        }

        return (c[..4].TrimEnd('-'), c[5..].Trim());
    }

    private static bool IsLongitude(string axis) => axis == "RA" || (axis.Length == 4 && axis.EndsWith("LON", StringComparison.Ordinal));

    private static bool IsLatitude(string axis) => axis == "DEC" || (axis.Length == 4 && axis.EndsWith("LAT", StringComparison.Ordinal));

    private static void CheckUnit(IWcsKeywordSource h, string key, string which)
    {
        if (h.TryGetString(key, out string? unit) && unit!.Trim().Length > 0
            && !unit.Trim().Equals("deg", StringComparison.OrdinalIgnoreCase))
        {
            throw new WcsException($"{key} = '{unit}' in the {which}: only degrees are supported for celestial axes");
        }
    }

    /// <summary>PC + CDELT takes precedence over CD, which takes precedence over CDELT + CROTA2 (as in wcslib).</summary>
    private static Matrix2x2 ReadLinear(IWcsKeywordSource h, string s, string which)
    {
        bool hasPc = h.Contains("PC1_1" + s) || h.Contains("PC1_2" + s) || h.Contains("PC2_1" + s) || h.Contains("PC2_2" + s);
        bool hasCd = h.Contains("CD1_1" + s) || h.Contains("CD1_2" + s) || h.Contains("CD2_1" + s) || h.Contains("CD2_2" + s);
        bool hasCdelt = h.Contains("CDELT1" + s) || h.Contains("CDELT2" + s);
        double cdelt1 = Get(h, "CDELT1" + s, 1), cdelt2 = Get(h, "CDELT2" + s, 1);
        Matrix2x2 cd;
        if (hasPc)
        {
            cd = new Matrix2x2(
                cdelt1 * Get(h, "PC1_1" + s, 1),
                cdelt1 * Get(h, "PC1_2" + s, 0),
                cdelt2 * Get(h, "PC2_1" + s, 0),
                cdelt2 * Get(h, "PC2_2" + s, 1));
        }
        else if (hasCd)
        {
            cd = new Matrix2x2(Get(h, "CD1_1" + s, 0), Get(h, "CD1_2" + s, 0), Get(h, "CD2_1" + s, 0), Get(h, "CD2_2" + s, 0));
        }
        else if (hasCdelt)
        {
            double rho = h.TryGetDouble("CROTA2" + s, out double r2) ? r2 : Get(h, "CROTA1" + s, 0);
            (double sin, double cos) = Matrix2x2.SinCosDegrees(rho);
            cd = new Matrix2x2(cdelt1 * cos, -cdelt2 * sin, cdelt1 * sin, cdelt2 * cos);
        }
        else
        {
            throw new WcsException($"the {which} has no pixel scale: none of CDi_j, PCi_j or CDELTi is present");
        }

        if (!cd.IsFinite || cd.Determinant == 0)
        {
            throw new WcsException($"the {which} has a singular CD matrix (its determinant is zero)");
        }

        return cd;
    }

    /// <summary>The header's SIP coefficients (A/B required, AP/BP optional).</summary>
    public static SipDistortion ReadSipOnly(IWcsKeywordSource h) => ReadSip(h);

    private static SipDistortion ReadSip(IWcsKeywordSource h)
    {
        double[,] a = ReadSipTable(h, "A", required: true)!;
        double[,] b = ReadSipTable(h, "B", required: true)!;
        double[,]? ap = ReadSipTable(h, "AP", required: false);
        double[,]? bp = ReadSipTable(h, "BP", required: false);
        if ((ap is null) != (bp is null))
        {
            ap = bp = null; // An incomplete inverse is useless as a first guess; iterate from the linear guess.
        }

        return new SipDistortion(a, b, ap, bp);
    }

    private static double[,]? ReadSipTable(IWcsKeywordSource h, string name, bool required)
    {
        if (!h.TryGetDouble(name + "_ORDER", out double orderValue))
        {
            if (required)
            {
                throw new WcsException($"CTYPE says TAN-SIP but {name}_ORDER is missing");
            }

            return null;
        }

        if (orderValue != Math.Floor(orderValue) || orderValue is < 0 or > 9)
        {
            throw new WcsException($"{name}_ORDER = {orderValue} is not an order between 0 and 9");
        }

        int order = (int)orderValue;
        var t = new double[order + 1, order + 1];
        for (int p = 0; p <= order; p++)
        {
            for (int q = 0; p + q <= order; q++)
            {
                t[p, q] = Get(h, $"{name}_{p}_{q}", 0);
            }
        }

        return t;
    }

    private static TpvDistortion ReadTpv(IWcsKeywordSource h, string s)
    {
        var pv1 = new double[TpvDistortion.TermCount];
        var pv2 = new double[TpvDistortion.TermCount];
        for (int k = 0; k < TpvDistortion.TermCount; k++)
        {
            pv1[k] = Get(h, $"PV1_{k}{s}", 0);
            pv2[k] = Get(h, $"PV2_{k}{s}", 0);
        }

        return new TpvDistortion(pv1, pv2);
    }
}
