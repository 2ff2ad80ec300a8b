namespace TweakDrizzle.SourceFinder.Tests;

public class RefinedStarFinderTests
{
    private const int N = 256;

    private static float[] Field(double fwhm, out List<(double X, double Y, double F)> stars, int seed = 1)
    {
        float[] img = TestData.Noise(N, N, 100, 10, seed);
        var rng = new Random(seed + 100);
        stars = [];
        for (int gy = 0; gy < 7; gy++)
        {
            for (int gx = 0; gx < 7; gx++)
            {
                double x = 20 + (gx * 35) + rng.NextDouble() - 0.5, y = 20 + (gy * 35) + rng.NextDouble() - 0.5;
                double f = 4000 + (gx * 3000) + (gy * 1000);
                stars.Add((x, y, f));
                TestData.AddStar(img, N, N, x, y, f, fwhm);
            }
        }

        return img;
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(1.8)]
    public void Bright_isolated_stars_get_unbiased_centroids_and_fluxes(double fwhm)
    {
        float[] img = Field(fwhm, out List<(double X, double Y, double F)> stars);
        SourceCatalog cat = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = fwhm }).Find(new DetectionImage(img, N, N));
        var errs = new List<double>();
        foreach ((double x, double y, double f) in stars)
        {
            DetectedSource d = Assert.Single(cat.Sources, s => Math.Abs(s.X - x) < 1 && Math.Abs(s.Y - y) < 1);
            errs.Add(Math.Sqrt(((d.X - x) * (d.X - x)) + ((d.Y - y) * (d.Y - y))));
            Assert.InRange(d.Flux / f, 0.9, 1.1);
            Assert.True(d.Snr > 20);
        }

        double rms = Math.Sqrt(errs.Average(e => e * e));
        Assert.True(rms < 0.03, $"centroid rms {rms}");
        Assert.Equal(stars.Count, cat.Count);
        Assert.True(cat.Sources.Zip(cat.Sources.Skip(1)).All(p => p.First.Flux >= p.Second.Flux), "brightest first");
    }

    [Fact]
    public void Hot_pixels_and_cosmic_ray_tracks_are_rejected()
    {
        float[] img = Field(2.5, out List<(double X, double Y, double F)> stars);
        // A hot pixel and two tracks between the stars.
        img[(37 * N) + 37] += 3000;
        for (int k = 0; k < 4; k++)
        {
            img[((72 + k) * N) + 90 + k] += 800;
        }

        for (int k = 0; k < 5; k++)
        {
            img[(142 * N) + 105 + k] += 600;
        }

        SourceCatalog cat = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 }).Find(new DetectionImage(img, N, N));
        Assert.DoesNotContain(cat.Sources, s => Math.Abs(s.X - 37) < 2 && Math.Abs(s.Y - 37) < 2);
        Assert.DoesNotContain(cat.Sources, s => Math.Abs(s.X - 91.5) < 3 && Math.Abs(s.Y - 73.5) < 3);
        Assert.DoesNotContain(cat.Sources, s => Math.Abs(s.X - 107) < 4 && Math.Abs(s.Y - 142) < 2);
        Assert.Equal(stars.Count, cat.Count);
    }

    [Fact]
    public void Saturated_stars_are_kept_and_flagged()
    {
        float[] img = Field(2.5, out _);
        TestData.AddStar(img, N, N, 100.3, 120.6, 4e5, 2.5);
        for (int i = 0; i < img.Length; i++)
        {
            img[i] = Math.Min(img[i], 20000f);
        }

        SourceCatalog cat = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5, DataMax = 20000 }).Find(new DetectionImage(img, N, N));
        DetectedSource s = Assert.Single(cat.Sources, s => Math.Abs(s.X - 100.3) < 3 && Math.Abs(s.Y - 120.6) < 3);
        Assert.True(s.Flags.HasFlag(SourceQuality.Saturated));
        Assert.InRange(s.X, 100.0, 100.6);
        Assert.InRange(s.Y, 120.3, 120.9);
    }

    [Fact]
    public void Empty_nan_and_masked_images_do_not_throw()
    {
        SourceCatalog zero = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 }).Find(new DetectionImage(new float[64 * 64], 64, 64));
        Assert.Empty(zero.Sources);
        Assert.False(string.IsNullOrEmpty(zero.Message));

        float[] noise = TestData.Noise(128, 128, 50, 5, 2);
        SourceCatalog none = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 }).Find(new DetectionImage(noise, 128, 128));
        Assert.True(none.Count <= 1);

        float[] img = Field(2.5, out List<(double X, double Y, double F)> stars);
        for (int y = 0; y < N; y++)
        {
            for (int x = 0; x < 30; x++)
            {
                img[(y * N) + x] = float.NaN;     // a dead left strip
            }
        }

        var mask = new bool[N * N];
        for (int y = 100; y < 140; y++)
        {
            for (int x = 100; x < 140; x++)
            {
                mask[(y * N) + x] = true;
            }
        }

        SourceCatalog cat = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 }).Find(new DetectionImage(img, N, N, mask));
        Assert.All(cat.Sources, s => Assert.True(double.IsFinite(s.X) && s.X >= 28));
        int expected = stars.Count(s => s.X > 36 && !(s.X > 96 && s.X < 144 && s.Y > 96 && s.Y < 144));
        Assert.True(cat.Count >= expected, $"{cat.Count} < {expected}");
    }

    [Theory]
    [InlineData("dao")]
    [InlineData("tweakreg")]
    [InlineData("refined")]
    public void All_nan_and_tiny_images_give_empty_catalogs(string mode)
    {
        var nan = new DetectionImage(Enumerable.Repeat(float.NaN, 40 * 30).ToArray(), 40, 30);
        SourceCatalog a = SourceFinderModes.Run(nan, mode, 2.5, 5);
        Assert.Empty(a.Sources);
        Assert.False(string.IsNullOrEmpty(a.Message));
        var tiny = new DetectionImage([1f, 2f, 3f, 4f, 5f, 6f], 3, 2);
        Assert.Empty(SourceFinderModes.Run(tiny, mode, 2.5, 5).Sources);
    }

    [Fact]
    public void Results_are_identical_between_runs()
    {
        float[] img = Field(2.5, out _, 5);
        var finder = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 });
        string a = CatalogCsv.Format(finder.Find(new DetectionImage(img, N, N)));
        string b = CatalogCsv.Format(finder.Find(new DetectionImage(img, N, N)));
        Assert.Equal(a, b);
    }
}
