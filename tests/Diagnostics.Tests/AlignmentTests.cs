using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Tests;

public class AlignmentModelTests
{
    [Theory]
    [InlineData("/data/j8ny01szq_flc.fits", "j8ny01szq_flc")]
    [InlineData("j8ny01szq_flc.fits.gz", "j8ny01szq_flc")]
    [InlineData("j8ny01szq_flc.fits[SCI,2]", "j8ny01szq_flc_sci2")]
    [InlineData("my image.fit", "my_image")]
    public void Image_roots_follow_tweakreg_names(string name, string root) =>
        Assert.Equal(root, AlignmentPlots.ImageRoot(name));

    [Fact]
    public void Rms_and_validation()
    {
        Assert.Equal(Math.Sqrt((9 + 16) / 2.0), AlignmentResiduals.Rms([3, -4, double.NaN]), 12);
        AlignmentResiduals r = Samples.Residuals(10);
        Assert.Equal(AlignmentResiduals.Rms(r.Dx), r.EffectiveXRms, 12);
        Assert.Equal(0.5, (r with { XRms = 0.5 }).EffectiveXRms);
        Assert.Throws<ArgumentException>((r with { Dy = [1.0] }).Validate);
    }

    [Fact]
    public void Vector_scale_keeps_arrows_readable_and_the_key_round()
    {
        AlignmentResiduals r = Samples.Residuals(400);
        (double scale, double key) = AlignmentPlots.VectorScale([.. r.X], [.. r.Y], [.. r.Dx], [.. r.Dy]);
        double largest = r.Dx.Zip(r.Dy, (a, b) => Math.Sqrt((a * a) + (b * b))).Max();
        Assert.True(largest * scale <= (0.25 * 2000) + 1e-6);     // no arrow longer than a quarter of the field
        Assert.True(0.05 * scale > 2000 / 20.0 * 0.3);           // a typical arrow is visible
        double mantissa = key / Math.Pow(10, Math.Floor(Math.Log10(key)));
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
        Assert.InRange(key, largest / 4, largest);
    }

    [Fact]
    public void Binned_median_follows_a_trend()
    {
        double[] x = [.. Enumerable.Range(0, 1000).Select(i => i / 1000.0 * 100)];
        double[] y = [.. x.Select(v => v * 0.01)];
        (double[] bx, double[] by) = AlignmentPlots.BinnedMedian(x, y, new AxisRange(0, 100), 10);
        Assert.Equal(10, bx.Length);
        for (int i = 0; i < bx.Length; i++)
        {
            Assert.Equal(bx[i] * 0.01, by[i], 2);
        }

        Assert.Empty(AlignmentPlots.BinnedMedian(x, y, new AxisRange(0, 100), 0).X);
    }

    [Fact]
    public void Histogram_for_search_radius_has_tweakreg_bins()
    {
        OffsetHistogram h = OffsetHistogram.ForSearchRadius("a", new double[11 * 11], 4.3);
        Assert.Equal(11, h.Columns);
        Assert.Equal(-5.5, h.XMin);
        h.Validate();
        Assert.Throws<ArgumentException>((h with { Rows = 3 }).Validate);
    }

    [Fact]
    public void Residual_text_gives_min_max_and_std()
    {
        Assert.Equal("−1.0000 to 1.0000 ± 1.0000", AlignmentPlots.RangeText([-1, 1]));
        Assert.Equal("no data", AlignmentPlots.RangeText([double.NaN]));
    }
}

public class AlignmentResultsFileTests
{
    [Fact]
    public void Saved_results_round_trip()
    {
        AlignmentResiduals r = Samples.Residuals(5) with { XRms = 0.04, RmsRa = 0.002, TotalMatches = 7 };
        OffsetHistogram h = OffsetHistogram.ForSearchRadius(r.ImageName, [.. Enumerable.Range(0, 9).Select(i => (double)i)], 1) with { PeakX = 0.4, PeakY = -0.2, PeakMatches = 30 };
        string json = AlignmentResultsFile.ToJson([new AlignmentResultEntry(r, h), new AlignmentResultEntry(Samples.Residuals(3, 2) with { ImageName = "b.fits" }, null)]);
        IReadOnlyList<AlignmentResultEntry> back = AlignmentResultsFile.Parse(json);
        Assert.Equal(2, back.Count);
        AlignmentResiduals r2 = back[0].Residuals;
        Assert.Equal(r.ImageName, r2.ImageName);
        Assert.Equal("rscale", r2.FitGeometry);
        Assert.Equal(r.X, r2.X);
        Assert.Equal(r.Dy, r2.Dy);
        Assert.Equal(0.04, r2.XRms);
        Assert.True(double.IsNaN(r2.YRms));
        Assert.Equal(7, r2.TotalMatches);
        Assert.Equal(h.Counts, back[0].Histogram!.Counts);
        Assert.Equal(0.4, back[0].Histogram!.PeakX);
        Assert.Equal(30, back[0].Histogram!.PeakMatches);
        Assert.Null(back[1].Histogram);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("{\"images\": 3}", "no \"images\" list")]
    [InlineData("{\"format\": \"other\", \"images\": []}", "format \"other\"")]
    [InlineData("{\"images\": [{\"x\": []}]}", "no \"name\"")]
    [InlineData("{\"images\": [{\"name\": \"a\", \"x\": [1], \"y\": [1], \"dx\": [1]}]}", "needs a list \"dy\"")]
    [InlineData("{\"images\": [{\"name\": \"a\", \"x\": [1, 2], \"y\": [1], \"dx\": [1], \"dy\": [1]}]}", "different lengths")]
    [InlineData("{\"images\": [{\"name\": \"a\", \"x\": [\"q\"], \"y\": [1], \"dx\": [1], \"dy\": [1]}]}", "is not a number")]
    public void Bad_files_give_one_line_messages(string json, string expected)
    {
        var e = Assert.Throws<AlignmentResultsFormatException>(() => AlignmentResultsFile.Parse(json, "r.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
