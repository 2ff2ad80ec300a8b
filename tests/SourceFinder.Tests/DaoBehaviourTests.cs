namespace TweakDrizzle.SourceFinder.Tests;

public class DaoBehaviourTests
{
    private static float[] Field(int n, out List<(double X, double Y)> stars, double fwhm = 2.5, double flux = 5000)
    {
        float[] img = TestData.Noise(n, n, 0, 5, 7);
        stars = [];
        var rng = new Random(3);
        for (int k = 0; k < 20; k++)
        {
            double x = 10 + (rng.NextDouble() * (n - 20)), y = 10 + (rng.NextDouble() * (n - 20));
            stars.Add((x, y));
            TestData.AddStar(img, n, n, x, y, flux, fwhm);
        }

        return img;
    }

    [Fact]
    public void Finds_stars_near_their_true_positions()
    {
        float[] img = Field(128, out List<(double X, double Y)> stars);
        SourceCatalog cat = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 25 }).Find(new DetectionImage(img, 128, 128));
        int found = stars.Count(s => cat.Sources.Any(d => Math.Abs(d.X - s.X) < 0.2 && Math.Abs(d.Y - s.Y) < 0.2));
        Assert.True(found >= 18, $"found {found} of {stars.Count}");
        Assert.Equal(Enumerable.Range(1, cat.Count), cat.Sources.Select(s => s.Id));
    }

    [Fact]
    public void Empty_and_constant_images_give_an_empty_catalog_with_a_message()
    {
        var zero = new DetectionImage(new float[64 * 64], 64, 64);
        SourceCatalog cat = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 10 }).Find(zero);
        Assert.Empty(cat.Sources);
        Assert.False(string.IsNullOrEmpty(cat.Message));

        float[] noise = TestData.Noise(64, 64, 0, 1, 11);
        SourceCatalog none = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 100 }).Find(new DetectionImage(noise, 64, 64));
        Assert.Empty(none.Sources);
        Assert.Contains("no sources", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nan_pixels_are_missing_data_not_poison()
    {
        float[] img = Field(128, out List<(double X, double Y)> stars);
        SourceCatalog clean = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 25 }).Find(new DetectionImage(img, 128, 128));
        float[] withNan = (float[])img.Clone();
        (double sx, double sy) = stars[0];
        withNan[((int)Math.Round(sy) * 128) + (int)Math.Round(sx) + 1] = float.NaN;   // next to a star core
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                withNan[(y * 128) + x] = float.NaN;
            }
        }

        SourceCatalog cat = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 25 }).Find(new DetectionImage(withNan, 128, 128));
        Assert.All(cat.Sources, s => Assert.True(double.IsFinite(s.X) && double.IsFinite(s.Y)));
        Assert.Contains(cat.Sources, s => Math.Abs(s.X - sx) < 0.6 && Math.Abs(s.Y - sy) < 0.6);

        // Far from the NaN pixels nothing changes.
        bool Far(DetectedSource s) => Math.Abs(s.X - sx) > 8 || Math.Abs(s.Y - sy) > 8;
        bool FarCorner(DetectedSource s) => s.X > 20 || s.Y > 22;
        Assert.Equal(
            clean.Sources.Where(s => Far(s) && FarCorner(s)).Select(s => (s.X, s.Y)),
            cat.Sources.Where(s => Far(s) && FarCorner(s)).Select(s => (s.X, s.Y)));
    }

    [Fact]
    public void Peakmax_is_strict_and_datamax_keeps_saturated_stars_flagged()
    {
        float[] img = TestData.Noise(64, 64, 0, 2, 5);
        TestData.AddStar(img, 64, 64, 32.3, 31.8, 40000, 2.5);
        for (int i = 0; i < img.Length; i++)
        {
            img[i] = Math.Min(img[i], 3000f);
        }

        var baseOpts = new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 20 };
        Assert.DoesNotContain(new DaoStarFinder(baseOpts with { PeakMax = 3000 }).Find(new DetectionImage(img, 64, 64)).Sources,
            s => Math.Abs(s.X - 32.3) < 1 && Math.Abs(s.Y - 31.8) < 1);
        SourceCatalog sat = new DaoStarFinder(baseOpts with { DataMax = 2999 }).Find(new DetectionImage(img, 64, 64));
        DetectedSource star = Assert.Single(sat.Sources, s => Math.Abs(s.X - 32.3) < 1 && Math.Abs(s.Y - 31.8) < 1);
        Assert.True(star.Flags.HasFlag(SourceQuality.Saturated));
    }

    [Fact]
    public void Masked_pixels_are_never_peaks()
    {
        float[] img = TestData.Noise(64, 64, 0, 1, 5);
        TestData.AddStar(img, 64, 64, 20, 20, 5000, 2.5);
        var mask = new bool[64 * 64];
        mask[(20 * 64) + 20] = true;
        SourceCatalog cat = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 2.5, Threshold = 10 }).Find(new DetectionImage(img, 64, 64, mask));
        Assert.DoesNotContain(cat.Sources, s => Math.Round(s.X) == 20 && Math.Round(s.Y) == 20 && s.Peak == img[(20 * 64) + 20]);
    }

    [Fact]
    public void Csv_has_the_contract_header()
    {
        var cat = new SourceCatalog(DetectorMode.Dao, [new DetectedSource { Id = 1, X = 1.5, Y = 2.25, Mag = double.NaN }], 1, 0, double.NaN, null);
        string text = CatalogCsv.Format(cat);
        Assert.StartsWith("id,xcentroid,ycentroid,sharpness,roundness1,roundness2,npix,sky,peak,flux,mag\n", text, StringComparison.Ordinal);
        Assert.Contains("1,1.5,2.25,", text, StringComparison.Ordinal);
        Assert.EndsWith(",nan\n", text, StringComparison.Ordinal);
    }
}
