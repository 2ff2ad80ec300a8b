namespace TweakDrizzle.SourceFinder.Tests;

public class TweakRegStarFinderTests
{
    [Fact]
    public void Finds_isolated_stars_and_merges_touching_blends()
    {
        int n = 128;
        float[] img = TestData.Noise(n, n, 100, 10, 8);
        TestData.AddStar(img, n, n, 30.2, 40.7, 20000, 3.5);
        TestData.AddStar(img, n, n, 90.6, 80.1, 15000, 3.5);
        TestData.AddStar(img, n, n, 60.0, 100.0, 15000, 3.5);     // a touching pair: one TweakReg source
        TestData.AddStar(img, n, n, 63.0, 100.0, 15000, 3.5);
        SourceCatalog cat = new TweakRegStarFinder(new TweakRegFinderOptions { SkySigma = 10, ComputeSig = false }).Find(new DetectionImage(img, n, n));
        Assert.Contains(cat.Sources, s => Math.Abs(s.X - 30.2) < 0.3 && Math.Abs(s.Y - 40.7) < 0.3);
        Assert.Contains(cat.Sources, s => Math.Abs(s.X - 90.6) < 0.3 && Math.Abs(s.Y - 80.1) < 0.3);
        Assert.Single(cat.Sources, s => s.X > 55 && s.X < 68 && Math.Abs(s.Y - 100) < 3);
        Assert.All(cat.Sources, s => Assert.True(s.Flux > 0));
        Assert.True(cat.Sources.Zip(cat.Sources.Skip(1)).All(p => (float)p.First.Y <= (float)p.Second.Y));
    }

    [Fact]
    public void Peak_and_flux_limits_apply_to_the_raw_box()
    {
        int n = 96;
        float[] img = TestData.Noise(n, n, 100, 10, 2);
        TestData.AddStar(img, n, n, 30, 30, 40000, 3.5);
        TestData.AddStar(img, n, n, 65, 60, 8000, 3.5);
        var opts = new TweakRegFinderOptions { SkySigma = 10, ComputeSig = false, Threshold = 10 };
        Assert.Equal(2, new TweakRegStarFinder(opts).Find(new DetectionImage(img, n, n)).Count);
        SourceCatalog capped = new TweakRegStarFinder(opts with { PeakMax = 2000 }).Find(new DetectionImage(img, n, n));
        Assert.DoesNotContain(capped.Sources, s => Math.Abs(s.X - 30) < 1);
    }

    [Fact]
    public void Reflect_convolution_mirrors_at_the_edges()
    {
        var k = new StarFinderKernel(3.5);
        var data = new float[16 * 16];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = 5f;
        }

        float[] conv = TweakRegStarFinder.ReflectConvolve(data, 16, 16, k, null);
        Assert.All(conv, v => Assert.True(Math.Abs(v) < 1e-5));   // zero-sum kernel on a constant image, edges included
    }
}
