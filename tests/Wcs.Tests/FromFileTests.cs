using TweakDrizzle.Fits;

namespace TweakDrizzle.Wcs.Tests;

public sealed class FromFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("td-wcs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_the_wcs_of_each_extension_of_a_multi_extension_file()
    {
        FitsWcs chip1 = Fixtures.Load("sip4_wfc_apbp");
        FitsWcs chip2 = Fixtures.Load("sip2_wfc_apbp").WithCorrection(150.2, 2.3, chip1.Cd);
        var h1 = new FitsHeader();
        chip1.WriteTo(h1);
        var h2 = new FitsHeader();
        chip2.WriteTo(h2);
        string path = Path.Combine(_dir, "mef.fits");
        FitsWriter.Write(path,
        [
            FitsWriteHdu.Empty(),
            FitsWriteHdu.Image(new float[8 * 4], [8, 4], h1).Named("SCI", 1),
            FitsWriteHdu.Image(new float[8 * 4], [8, 4], h2).Named("SCI", 2),
        ]);
        Assert.Equal(chip1, FitsWcs.FromFile(path));
        Assert.Equal(chip1, FitsWcs.FromFile(path + "[SCI,1]"));
        Assert.Equal(chip2, FitsWcs.FromFile(path + "[SCI,2]"));
        Assert.Equal(chip2, FitsWcs.FromFile(path + "[2]"));
        Assert.Throws<WcsException>(() => FitsWcs.FromFile(path + "[0]"));
        Assert.ThrowsAny<Exception>(() => FitsWcs.FromFile(path + "[SCI,3]"));
    }

    [Fact]
    public void Reads_a_card_text_file()
    {
        string path = Path.Combine(_dir, "chip.hdr");
        File.WriteAllText(path, Fixtures.HeaderText("tpv3"));
        Assert.Equal(Fixtures.Load("tpv3"), FitsWcs.FromFile(path));
    }

    [Fact]
    public void Scamp_tan_with_pv_terms_is_refused_with_a_hint()
    {
        FitsHeader h = Fixtures.Header("tan_cd");
        h.Set("PV1_1", 1.0);
        h.Set("PV2_1", 1.0);
        h.Set("PV1_4", 0.01);
        WcsException e = Assert.Throws<WcsException>(() => FitsWcs.FromHeader(h));
        Assert.Contains("TPV", e.Message, StringComparison.Ordinal);
    }
}
