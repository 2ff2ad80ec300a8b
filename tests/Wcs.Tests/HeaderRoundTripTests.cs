namespace TweakDrizzle.Wcs.Tests;

/// <summary>An ordered in-memory keyword store standing in for a FITS header in writer tests.</summary>
internal sealed class MemoryKeywords : IWcsKeywordSink
{
    private readonly List<(string Key, object Value)> _cards = [];

    public IReadOnlyList<(string Key, object Value)> Cards => _cards;

    public static MemoryKeywords FromCardText(string text)
    {
        var source = new CardTextKeywords(text);
        var m = new MemoryKeywords();
        foreach ((string key, string raw) in source.Raw)
        {
            if (source.TryGetString(key, out string? str))
            {
                m.Set(key, str!, null);
            }
            else if (source.TryGetDouble(key, out double d))
            {
                m.Set(key, d, null);
            }
        }

        return m;
    }

    public bool Contains(string key) => _cards.Exists(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));

    public bool TryGetDouble(string key, out double value)
    {
        value = 0;
        int i = _cards.FindIndex(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));
        if (i < 0)
        {
            return false;
        }

        switch (_cards[i].Value)
        {
            case double d: value = d; return true;
            case int n: value = n; return true;
            case long l: value = l; return true;
            default: return false;
        }
    }

    public bool TryGetString(string key, out string? value)
    {
        int i = _cards.FindIndex(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));
        value = i >= 0 ? _cards[i].Value as string : null;
        return value is not null;
    }

    public void Set(string key, object value, string? comment)
    {
        int i = _cards.FindIndex(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));
        if (i >= 0)
        {
            _cards[i] = (key, value);
        }
        else
        {
            _cards.Add((key, value));
        }
    }

    public bool Remove(string key) => _cards.RemoveAll(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase)) > 0;
}

public class HeaderRoundTripTests
{
    public static TheoryData<string> Names() => [.. Fixtures.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Header_read_written_and_read_again_is_the_same_wcs(string name)
    {
        MemoryKeywords h = MemoryKeywords.FromCardText(Fixtures.HeaderText(name));
        FitsWcs wcs = WcsHeaderReader.Read(h, ' ');
        WcsHeaderWriter.Write(h, wcs, ' ');
        FitsWcs again = WcsHeaderReader.Read(h, ' ');
        Assert.Equal(wcs, again);
        Assert.Equal(wcs.Metadata, again.Metadata);
        Assert.True(wcs.IsEquivalentTo(again, wcs.Metadata.Naxis1, wcs.Metadata.Naxis2, 1e-12));

        // Into an empty header as well (CD form whatever the input used).
        var fresh = new MemoryKeywords();
        WcsHeaderWriter.Write(fresh, wcs, ' ');
        FitsWcs copy = WcsHeaderReader.Read(fresh, ' ');
        Assert.Equal(wcs, copy);
        Assert.True(fresh.Contains("CD1_1") && !fresh.Contains("PC1_1") && !fresh.Contains("CROTA2"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Alternate_description_round_trips(string name)
    {
        MemoryKeywords h = MemoryKeywords.FromCardText(Fixtures.HeaderText(name));
        FitsWcs primary = WcsHeaderReader.Read(h, ' ');
        FitsWcs archived = primary.WithName("OPUS");
        WcsHeaderWriter.Write(h, archived, 'O');
        FitsWcs back = WcsHeaderReader.Read(h, 'O');
        Assert.Equal(primary, back);
        Assert.Equal("OPUS", back.Name);

        // The primary is untouched by writing the alternate.
        Assert.Equal(primary, WcsHeaderReader.Read(h, ' '));
        Assert.Equal(['O'], FitsWcsHeaderKeys(h).Where(c => c != ' '));
    }

    [Fact]
    public void Corrected_primary_keeps_sip_and_the_archived_alternate()
    {
        MemoryKeywords h = MemoryKeywords.FromCardText(Fixtures.HeaderText("sip4_wfc_apbp"));
        FitsWcs original = WcsHeaderReader.Read(h, ' ');
        WcsHeaderWriter.Write(h, original.WithName("IDC_before"), 'A');
        FitsWcs corrected = original.WithCorrection(original.Crval1 + 1e-4, original.Crval2 - 2e-4, original.Cd.Multiply(Matrix2x2.Rotation(0.01))).WithName("TWEAK");
        WcsHeaderWriter.Write(h, corrected, ' ');
        FitsWcs primary = WcsHeaderReader.Read(h, ' ');
        FitsWcs alternate = WcsHeaderReader.Read(h, 'A');
        Assert.Equal(corrected, primary);
        Assert.Equal("TWEAK", primary.Name);
        Assert.Equal(original, alternate);
        Assert.Equal(original.Sip, primary.Sip);
    }

    [Fact]
    public void Alternate_with_a_different_sip_is_refused()
    {
        MemoryKeywords h = MemoryKeywords.FromCardText(Fixtures.HeaderText("sip4_wfc_apbp"));
        FitsWcs other = WcsHeaderReader.Read(MemoryKeywords.FromCardText(Fixtures.HeaderText("sip2_wfc_apbp")), ' ');
        int before = h.Cards.Count;
        Assert.Throws<WcsException>(() => WcsHeaderWriter.Write(h, other, 'B'));
        Assert.Equal(before, h.Cards.Count);
    }

    [Fact]
    public void Pc_and_crota_headers_are_written_as_an_equivalent_cd_matrix()
    {
        foreach (string name in new[] { "tan_pc_cdelt", "tan_crota2" })
        {
            MemoryKeywords h = MemoryKeywords.FromCardText(Fixtures.HeaderText(name));
            FitsWcs wcs = WcsHeaderReader.Read(h, ' ');
            WcsHeaderWriter.Write(h, wcs, ' ');
            Assert.False(h.Contains("PC1_1") || h.Contains("CDELT1") || h.Contains("CROTA2"));
            Assert.True(wcs.IsEquivalentTo(WcsHeaderReader.Read(h, ' '), 2048, 2048, 1e-12));
        }
    }

    [Fact]
    public void Unsupported_or_missing_wcs_is_reported_in_plain_words()
    {
        var empty = new MemoryKeywords();
        WcsException e = Assert.Throws<WcsException>(() => WcsHeaderReader.Read(empty, ' '));
        Assert.Contains("CTYPE1", e.Message, StringComparison.Ordinal);

        MemoryKeywords sin = MemoryKeywords.FromCardText(Fixtures.HeaderText("tan_cd"));
        sin.Set("CTYPE1", "RA---SIN", null);
        sin.Set("CTYPE2", "DEC--SIN", null);
        Assert.Contains("SIN", Assert.Throws<WcsException>(() => WcsHeaderReader.Read(sin, ' ')).Message, StringComparison.Ordinal);

        MemoryKeywords swapped = MemoryKeywords.FromCardText(Fixtures.HeaderText("tan_cd"));
        swapped.Set("CTYPE1", "DEC--TAN", null);
        swapped.Set("CTYPE2", "RA---TAN", null);
        Assert.Throws<WcsException>(() => WcsHeaderReader.Read(swapped, ' '));

        MemoryKeywords noSip = MemoryKeywords.FromCardText(Fixtures.HeaderText("sip2_wfc_apbp"));
        noSip.Remove("A_ORDER");
        Assert.Contains("A_ORDER", Assert.Throws<WcsException>(() => WcsHeaderReader.Read(noSip, ' ')).Message, StringComparison.Ordinal);

        Assert.Throws<WcsException>(() => WcsHeaderReader.Read(MemoryKeywords.FromCardText(Fixtures.HeaderText("tan_cd")), '1'));
        Assert.Contains("'Q'", Assert.Throws<WcsException>(() => WcsHeaderReader.Read(MemoryKeywords.FromCardText(Fixtures.HeaderText("tan_cd")), 'Q')).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pc_takes_precedence_over_cd_like_wcslib()
    {
        // astropy 5.2.1: CD = diag(-1e-3, 1e-3) with PC1_1 = PC2_2 = 2 (CDELT absent = 1): PC wins.
        MemoryKeywords h = MemoryKeywords.FromCardText(Fixtures.HeaderText("tan_cd"));
        h.Set("PC1_1", 2.0, null);
        h.Set("PC2_2", 2.0, null);
        FitsWcs wcs = WcsHeaderReader.Read(h, ' ');
        Assert.Equal(new Matrix2x2(2, 0, 0, 2), wcs.Cd);
    }

    private static List<char> FitsWcsHeaderKeys(MemoryKeywords h) =>
        [.. " ABCDEFGHIJKLMNOPQRSTUVWXYZ".Where(c => h.Contains("CTYPE1" + (c == ' ' ? string.Empty : c.ToString())))];
}
