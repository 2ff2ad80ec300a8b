using TweakDrizzle.Fits;

namespace TweakDrizzle.Wcs.Tests;

public class HeaderRoundTripTests
{
    public static TheoryData<string> Names() => [.. Fixtures.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Header_read_written_and_read_again_is_the_same_wcs(string name)
    {
        FitsHeader h = Fixtures.Header(name);
        FitsWcs wcs = FitsWcs.FromHeader(h);
        wcs.WriteTo(h);
        FitsWcs again = FitsWcs.FromHeader(h);
        Assert.Equal(wcs, again);
        Assert.Equal(wcs.Metadata, again.Metadata);
        Assert.True(wcs.IsEquivalentTo(again, wcs.Metadata.Naxis1, wcs.Metadata.Naxis2, 1e-12));

        // Through the card text (80-character cards) and into an empty header (CD form whatever the input used).
        FitsHeader reparsed = FitsHeader.ParseCardText(string.Join('\n', h.ToCardImages()) + "\nEND");
        Assert.Equal(wcs, FitsWcs.FromHeader(reparsed));
        var fresh = new FitsHeader();
        wcs.WriteTo(fresh);
        FitsWcs copy = FitsWcs.FromHeader(fresh);
        Assert.Equal(wcs, copy);
        Assert.True(fresh.Contains("CD1_1") && !fresh.Contains("PC1_1") && !fresh.Contains("CROTA2"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Alternate_description_round_trips(string name)
    {
        FitsHeader h = Fixtures.Header(name);
        FitsWcs primary = FitsWcs.FromHeader(h);
        Assert.Equal('A', FitsWcs.NextFreeAlternateKey(h));
        primary.WithName("OPUS").WriteTo(h, 'O');
        FitsWcs back = FitsWcs.FromHeader(h, 'O');
        Assert.Equal(primary, back);
        Assert.Equal("OPUS", back.Name);
        Assert.Equal('O', FitsWcs.FindByName(h, "opus"));
        Assert.Null(FitsWcs.FindByName(h, "nothing"));

        // The primary is untouched by writing the alternate.
        Assert.Equal(primary, FitsWcs.FromHeader(h));
        Assert.Equal([' ', 'O'], FitsWcs.AlternateKeys(h));
        Assert.True(FitsWcs.HasWcs(h, 'o'));
        Assert.False(FitsWcs.HasWcs(h, 'B'));
    }

    [Fact]
    public void Corrected_primary_keeps_sip_and_the_archived_alternate()
    {
        FitsHeader h = Fixtures.Header("sip4_wfc_apbp");
        FitsWcs original = FitsWcs.FromHeader(h);
        string sipCards = string.Join('|', h.ToCardImages().Where(c => c.StartsWith("A_", StringComparison.Ordinal)));
        char key = FitsWcs.NextFreeAlternateKey(h);
        original.WithName("IDC_before").WriteTo(h, key);
        Assert.Equal('B', FitsWcs.NextFreeAlternateKey(h));
        FitsWcs corrected = original.WithCorrection(original.Crval1 + 1e-4, original.Crval2 - 2e-4, original.Cd.Multiply(Matrix2x2.Rotation(0.01))).WithName("TWEAK");
        corrected.WriteTo(h);
        FitsWcs primary = FitsWcs.FromHeader(h);
        FitsWcs alternate = FitsWcs.FromHeader(h, key);
        Assert.Equal(corrected, primary);
        Assert.Equal("TWEAK", primary.Name);
        Assert.Equal(original, alternate);
        Assert.Equal(original.Sip, primary.Sip);

        // The unchanged SIP cards stay as they were, in place.
        Assert.Equal(sipCards, string.Join('|', h.ToCardImages().Where(c => c.StartsWith("A_", StringComparison.Ordinal))));
    }

    [Fact]
    public void Alternate_with_a_different_sip_is_refused_and_the_header_is_unchanged()
    {
        FitsHeader h = Fixtures.Header("sip4_wfc_apbp");
        FitsWcs other = Fixtures.Load("sip2_wfc_apbp");
        string before = h.ToString();
        Assert.Throws<WcsException>(() => other.WriteTo(h, 'B'));
        Assert.Equal(before, h.ToString());
    }

    [Fact]
    public void Pc_and_crota_headers_are_written_as_an_equivalent_cd_matrix()
    {
        foreach (string name in new[] { "tan_pc_cdelt", "tan_crota2" })
        {
            FitsHeader h = Fixtures.Header(name);
            FitsWcs wcs = FitsWcs.FromHeader(h);
            wcs.WriteTo(h);
            Assert.False(h.Contains("PC1_1") || h.Contains("CDELT1") || h.Contains("CROTA2"));
            Assert.True(wcs.IsEquivalentTo(FitsWcs.FromHeader(h), 2048, 2048, 1e-12));
        }
    }

    [Fact]
    public void Unsupported_or_missing_wcs_is_reported_in_plain_words()
    {
        WcsException e = Assert.Throws<WcsException>(() => FitsWcs.FromHeader(new FitsHeader()));
        Assert.Contains("CTYPE1", e.Message, StringComparison.Ordinal);

        FitsHeader sin = Fixtures.Header("tan_cd");
        sin.Set("CTYPE1", "RA---SIN");
        sin.Set("CTYPE2", "DEC--SIN");
        Assert.Contains("SIN", Assert.Throws<WcsException>(() => FitsWcs.FromHeader(sin)).Message, StringComparison.Ordinal);

        FitsHeader swapped = Fixtures.Header("tan_cd");
        swapped.Set("CTYPE1", "DEC--TAN");
        swapped.Set("CTYPE2", "RA---TAN");
        Assert.Throws<WcsException>(() => FitsWcs.FromHeader(swapped));

        FitsHeader noSip = Fixtures.Header("sip2_wfc_apbp");
        noSip.Remove("A_ORDER");
        Assert.Contains("A_ORDER", Assert.Throws<WcsException>(() => FitsWcs.FromHeader(noSip)).Message, StringComparison.Ordinal);

        FitsHeader text = Fixtures.Header("tan_cd");
        text.Set("CRPIX1", "middle");
        Assert.Contains("CRPIX1", Assert.Throws<WcsException>(() => FitsWcs.FromHeader(text)).Message, StringComparison.Ordinal);

        FitsHeader arcsec = Fixtures.Header("tan_cd");
        arcsec.Set("CUNIT1", "arcsec");
        Assert.Throws<WcsException>(() => FitsWcs.FromHeader(arcsec));

        Assert.Throws<WcsException>(() => FitsWcs.FromHeader(Fixtures.Header("tan_cd"), '1'));
        Assert.Contains("'Q'", Assert.Throws<WcsException>(() => FitsWcs.FromHeader(Fixtures.Header("tan_cd"), 'Q')).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pc_takes_precedence_over_cd_like_wcslib()
    {
        // astropy 5.2.1 / wcslib: CD present together with PC1_1 = PC2_2 = 2 (CDELT absent = 1): PC wins.
        FitsHeader h = Fixtures.Header("tan_cd");
        h.Set("PC1_1", 2.0);
        h.Set("PC2_2", 2.0);
        Assert.Equal(new Matrix2x2(2, 0, 0, 2), FitsWcs.FromHeader(h).Cd);
    }

    [Fact]
    public void Sip_keywords_under_a_plain_tan_primary_are_applied_like_astropy()
    {
        // astropy 5.2.1: CTYPE RA---TAN with A_ORDER = B_ORDER = 2, A_2_0 = B_0_2 = 1e-3, CD = diag(-1e-3, 1e-3),
        // CRPIX (50, 50), CRVAL (30, 10): 1-based (60, 50) -> (29.98974419, 9.99999984), (50, 60) -> (30, 10.0101).
        var h = new FitsHeader();
        FitsWcs.CreateTan(30, 10, 50, 50, new Matrix2x2(-1e-3, 0, 0, 1e-3)).WriteTo(h);
        h.Set("A_ORDER", 2L);
        h.Set("A_2_0", 1e-3);
        h.Set("B_ORDER", 2L);
        h.Set("B_0_2", 1e-3);
        FitsWcs wcs = FitsWcs.FromHeader(h);
        Assert.Equal(DistortionKind.Sip, wcs.Distortion);
        Assert.Equal("RA---TAN-SIP", wcs.CType1);
        (double ra, double dec) = wcs.PixelToWorld(59, 49);
        Assert.Equal(29.98974419, ra, 7);
        Assert.Equal(9.99999984, dec, 7);
        (ra, dec) = wcs.PixelToWorld(49, 59);
        Assert.Equal(30, ra, 7);
        Assert.Equal(10.0101, dec, 7);

        // A plain TAN alternate stays plain in the same header.
        FitsWcs plain = FitsWcs.CreateTan(30, 10, 50, 50, new Matrix2x2(-1e-3, 0, 0, 1e-3));
        plain.WriteTo(h, 'T');
        Assert.Equal(plain, FitsWcs.FromHeader(h, 'T'));
    }

    [Fact]
    public void Tpv_missing_coefficients_are_zero_like_wcslib()
    {
        // astropy 5.2.1: RA---TPV with only PV1_2 = 0.01 maps a pure x offset to the reference point (PV1_1 = 0).
        FitsHeader h = Fixtures.Header("tan_cd");
        h.Set("CTYPE1", "RA---TPV");
        h.Set("CTYPE2", "DEC--TPV");
        h.Set("PV1_2", 0.01);
        h.Set("CD1_2", 0.0);
        h.Set("CD2_1", 0.0);
        FitsWcs wcs = FitsWcs.FromHeader(h);
        Assert.Equal(DistortionKind.Tpv, wcs.Distortion);
        Assert.Equal(0, wcs.Tpv!.Pv1(1));
        (double ra, double dec) = wcs.PixelToWorld(wcs.Crpix1 - 1 + 100, wcs.Crpix2 - 1);
        Assert.True(SphericalGeometry.SeparationDegrees(ra, dec, wcs.Crval1, wcs.Crval2) < 1e-12);
    }
}
