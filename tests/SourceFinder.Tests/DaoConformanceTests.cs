using System.Text.Json;

namespace TweakDrizzle.SourceFinder.Tests;

/// <summary>
/// photutils 1.6 parity on copies of conformance/sourcefind cases (rules of its README: same rows, positions and
/// shape values within 1e-4, flux and peak within 1e-5 relative, npix equal, ids 1..n).
/// </summary>
public class DaoConformanceTests
{
    [Theory]
    [InlineData("c05_f5.0_exclude_border")]
    [InlineData("c06_ellip_r0.7_t30")]
    [InlineData("c07_f2.0_brightest_cuts")]
    [InlineData("c09_noiseless_ties")]
    public void Matches_photutils_1_6(string name)
    {
        (float[] data, int nx, int ny) = TestData.ReadFitsGz(TestData.FixturePath(name, "image.fits.gz"));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(TestData.FixturePath(name, "params.json")));
        JsonElement p = doc.RootElement;
        var options = new DaoStarFinderOptions
        {
            Fwhm = p.GetProperty("fwhm").GetDouble(),
            Threshold = p.GetProperty("threshold").GetDouble(),
            SigmaRadius = p.GetProperty("sigma_radius").GetDouble(),
            Ratio = p.GetProperty("ratio").GetDouble(),
            Theta = p.GetProperty("theta").GetDouble(),
            SharpLo = p.GetProperty("sharplo").GetDouble(),
            SharpHi = p.GetProperty("sharphi").GetDouble(),
            RoundLo = p.GetProperty("roundlo").GetDouble(),
            RoundHi = p.GetProperty("roundhi").GetDouble(),
            ExcludeBorder = p.GetProperty("exclude_border").GetBoolean(),
            PeakMax = p.GetProperty("peakmax").ValueKind == JsonValueKind.Null ? null : p.GetProperty("peakmax").GetDouble(),
            Brightest = p.GetProperty("brightest").ValueKind == JsonValueKind.Null ? null : p.GetProperty("brightest").GetInt32(),
        };
        SourceCatalog cat = new DaoStarFinder(options).Find(new DetectionImage(data, nx, ny));
        List<Dictionary<string, string>> got = TestData.ReadCsv(CatalogCsv.Format(cat));
        List<Dictionary<string, string>> exp = TestData.ReadCsv(File.ReadAllText(TestData.FixturePath(name, "expected.csv")));

        Assert.Equal(exp.Count, got.Count);
        for (int i = 0; i < exp.Count; i++)
        {
            Dictionary<string, string> e = exp[i], g = got[i];
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), g["id"]);
            foreach (string col in new[] { "xcentroid", "ycentroid", "sharpness", "roundness1", "roundness2" })
            {
                Assert.True(Math.Abs(TestData.D(e[col]) - TestData.D(g[col])) <= 1e-4, $"{name} row {i + 1} {col}: {e[col]} vs {g[col]}");
            }

            foreach (string col in new[] { "peak", "flux" })
            {
                double a = TestData.D(e[col]), b = TestData.D(g[col]);
                Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Abs(a), $"{name} row {i + 1} {col}: {a} vs {b}");
            }

            Assert.True(Math.Abs(TestData.D(e["mag"]) - TestData.D(g["mag"])) <= 1.1e-5);
            Assert.Equal(e["npix"], g["npix"]);
            Assert.Equal(0.0, TestData.D(g["sky"]));
        }
    }
}
