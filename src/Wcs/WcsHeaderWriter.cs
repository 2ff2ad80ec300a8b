using System.Globalization;

namespace TweakDrizzle.Wcs;

/// <summary>Write access to header keywords for <see cref="WcsHeaderWriter"/>.</summary>
internal interface IWcsKeywordSink : IWcsKeywordSource
{
    /// <summary>Sets a keyword (replacing it in place when present, else appending it).</summary>
    void Set(string key, object value, string? comment);

    /// <summary>Removes every card with this key; true when one was there.</summary>
    bool Remove(string key);
}

/// <summary>Writes one WCS description (primary or alternate key) as CD-matrix keywords.</summary>
internal static class WcsHeaderWriter
{
    private const int MaxSipOrder = 9;

    public static void Write(IWcsKeywordSink h, FitsWcs wcs, char alt)
    {
        string s = WcsHeaderReader.Suffix(alt);

        // An alternate description cannot carry its own SIP coefficients (they have no key letter): it shares
        // the header's. Check before touching anything, so a refused write leaves the header as it was.
        if (s.Length > 0 && wcs.Sip is not null && h.Contains("A_ORDER"))
        {
            if (!wcs.Sip.Equals(TryReadSip(h)))
            {
                throw new WcsException(
                    $"cannot write alternate WCS '{s}': SIP coefficients have no alternate-key form and the header's SIP differs from this WCS's");
            }
        }

        RemoveLinear(h, s);
        WcsMetadata m = wcs.Metadata;
        SetOrRemove(h, "WCSNAME" + s, m.WcsName, "name of the world coordinate system");
        h.Set("CTYPE1" + s, wcs.CType1, "coordinate type of axis 1");
        h.Set("CTYPE2" + s, wcs.CType2, "coordinate type of axis 2");
        h.Set("CRPIX1" + s, wcs.Crpix1, "reference pixel along axis 1 (1-based)");
        h.Set("CRPIX2" + s, wcs.Crpix2, "reference pixel along axis 2 (1-based)");
        h.Set("CRVAL1" + s, wcs.Crval1, "[deg] coordinate at the reference pixel, axis 1");
        h.Set("CRVAL2" + s, wcs.Crval2, "[deg] coordinate at the reference pixel, axis 2");
        h.Set("CUNIT1" + s, "deg", "units of axis 1");
        h.Set("CUNIT2" + s, "deg", "units of axis 2");
        h.Set("CD1_1" + s, wcs.Cd.M11, "partial of axis 1 w.r.t. x [deg/pixel]");
        h.Set("CD1_2" + s, wcs.Cd.M12, "partial of axis 1 w.r.t. y [deg/pixel]");
        h.Set("CD2_1" + s, wcs.Cd.M21, "partial of axis 2 w.r.t. x [deg/pixel]");
        h.Set("CD2_2" + s, wcs.Cd.M22, "partial of axis 2 w.r.t. y [deg/pixel]");
        if (wcs.LonPoleKeyword is double lonpole)
        {
            h.Set("LONPOLE" + s, lonpole, "[deg] native longitude of the celestial pole");
        }

        if (m.LatPole is double latpole)
        {
            h.Set("LATPOLE" + s, latpole, "[deg] native latitude of the celestial pole");
        }

        SetOrRemove(h, "RADESYS" + s, m.RadeSys, "reference frame");
        if (m.Equinox is double equinox)
        {
            h.Set("EQUINOX" + s, equinox, "[yr] equinox of the celestial coordinates");
        }
        else
        {
            h.Remove("EQUINOX" + s);
        }

        if (wcs.Tpv is TpvDistortion tpv)
        {
            for (int axis = 1; axis <= 2; axis++)
            {
                for (int k = 0; k < TpvDistortion.TermCount; k++)
                {
                    double c = axis == 1 ? tpv.Pv1(k) : tpv.Pv2(k);
                    if (c != 0)
                    {
                        h.Set(string.Create(CultureInfo.InvariantCulture, $"PV{axis}_{k}{s}"), c, "TPV distortion coefficient");
                    }
                }
            }
        }

        if (s.Length == 0 && !(wcs.Sip is not null && wcs.Sip.Equals(TryReadSip(h))))
        {
            // Rewrite the SIP cards only when they change, so an unchanged distortion keeps its cards and order.
            RemoveSip(h);
            if (wcs.Sip is SipDistortion sip)
            {
                WriteSip(h, sip);
            }
        }
        else if (wcs.Sip is SipDistortion sip && !h.Contains("A_ORDER"))
        {
            WriteSip(h, sip);
        }
    }

    private static SipDistortion? TryReadSip(IWcsKeywordSource h)
    {
        if (!h.Contains("A_ORDER"))
        {
            return null;
        }

        try
        {
            return WcsHeaderReader.ReadSipOnly(h);
        }
        catch (WcsException)
        {
            return null;
        }
    }

    private static void SetOrRemove(IWcsKeywordSink h, string key, string? value, string comment)
    {
        if (value is null)
        {
            h.Remove(key);
        }
        else
        {
            h.Set(key, value, comment);
        }
    }

    private static void RemoveLinear(IWcsKeywordSink h, string s)
    {
        for (int i = 1; i <= 2; i++)
        {
            h.Remove($"CDELT{i}{s}");
            h.Remove($"CROTA{i}{s}");
            for (int j = 1; j <= 2; j++)
            {
                h.Remove($"PC{i}_{j}{s}");
                h.Remove($"CD{i}_{j}{s}");
            }

            for (int k = 0; k < TpvDistortion.TermCount; k++)
            {
                h.Remove($"PV{i}_{k}{s}");
            }
        }

        h.Remove("LONPOLE" + s);
        h.Remove("LATPOLE" + s);
    }

    private static void RemoveSip(IWcsKeywordSink h)
    {
        foreach (string name in (string[])["A", "B", "AP", "BP"])
        {
            h.Remove(name + "_ORDER");
            h.Remove(name + "_DMAX");
            for (int p = 0; p <= MaxSipOrder; p++)
            {
                for (int q = 0; p + q <= MaxSipOrder; q++)
                {
                    h.Remove($"{name}_{p}_{q}");
                }
            }
        }
    }

    private static void WriteSip(IWcsKeywordSink h, SipDistortion sip)
    {
        WriteSipTable(h, "A", sip.AOrder, sip.A, "SIP polynomial order, axis 1");
        WriteSipTable(h, "B", sip.BOrder, sip.B, "SIP polynomial order, axis 2");
        if (sip.HasInverse)
        {
            WriteSipTable(h, "AP", sip.ApOrder, sip.AP, "SIP inverse polynomial order, axis 1");
            WriteSipTable(h, "BP", sip.BpOrder, sip.BP, "SIP inverse polynomial order, axis 2");
        }
    }

    private static void WriteSipTable(IWcsKeywordSink h, string name, int order, Func<int, int, double> coefficient, string comment)
    {
        h.Set(name + "_ORDER", order, comment);
        for (int p = 0; p <= order; p++)
        {
            for (int q = 0; p + q <= order; q++)
            {
                double c = coefficient(p, q);
                if (c != 0)
                {
                    h.Set($"{name}_{p}_{q}", c, null);
                }
            }
        }
    }
}
