using System.Text.Json;
using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Diagnostics.Images;
using TweakDrizzle.Diagnostics.Reports;

namespace TweakDrizzle.Diagnostics.Tests;

public class QaReportTests
{
    private static QaReport Sample()
    {
        byte[] png = PngWriter.Encode(new byte[4], 2, 2, PngColorType.Gray8);
        return new QaReport
        {
            Title = "Run <1>",
            Notes = ["tweakdrizzle demo"],
            Images = [new QaImageRow { Name = "a_flc.fits", FitGeometry = "rscale", Matches = 812, XRms = 0.0412, YRms = 0.0398, RmsRa = 0.0021, RmsDec = double.NaN, XShift = -0.5 }],
            Products =
            [
                QaProductRow.FromStatistics("f606w_drc", new WeightStatistics(100, 12, 0.12, 0.001, 0.9, 1000, 1)) with { Inputs = 4, Pixfrac = 0.6, Kernel = "square" },
            ],
            Plots = [new QaPlot("Residuals of a_flc.fits", png, "Alignment")],
        };
    }

    [Fact]
    public void Html_is_self_contained_and_holds_the_numbers()
    {
        QaReport report = Sample();
        string html = QaReportWriter.ToHtml(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("Run &lt;1&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64," + Convert.ToBase64String(report.Plots[0].Png), html, StringComparison.Ordinal);
        Assert.Contains("<td>812</td>", html, StringComparison.Ordinal);
        Assert.Contains("0.0412", html, StringComparison.Ordinal);
        Assert.Contains("\u22120.5000", html, StringComparison.Ordinal);
        Assert.Contains("0.120", html, StringComparison.Ordinal);
        Assert.Contains("0.1%", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.Equal(html, QaReportWriter.ToHtml(Sample()));
    }

    [Fact]
    public void Json_has_the_same_numbers_with_null_for_unknown()
    {
        using JsonDocument doc = JsonDocument.Parse(QaReportWriter.ToJson(Sample()));
        JsonElement img = doc.RootElement.GetProperty("images")[0];
        Assert.Equal(812, img.GetProperty("nmatch").GetInt32());
        Assert.Equal(0.0412, img.GetProperty("xrms").GetDouble());
        Assert.Equal(JsonValueKind.Null, img.GetProperty("rms_dec").ValueKind);
        JsonElement prod = doc.RootElement.GetProperty("products")[0];
        Assert.Equal(0.12, prod.GetProperty("weight_rms_over_median").GetDouble(), 12);
        Assert.Equal(0.001, prod.GetProperty("hole_fraction").GetDouble());
        Assert.Equal(0.9, prod.GetProperty("coverage").GetDouble());
        Assert.Equal(4, prod.GetProperty("inputs").GetInt32());
    }

    [Fact]
    public void Write_creates_both_files()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tdqa_" + Guid.NewGuid().ToString("N"));
        try
        {
            (string html, string json) = QaReportWriter.Write(Sample(), dir, "qa");
            Assert.True(File.Exists(html) && File.Exists(json));
            Assert.Equal(2, Directory.GetFiles(dir).Length); // no temporary files left behind
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
