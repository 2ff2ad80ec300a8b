namespace TweakDrizzle.SourceFinder.Tests;

public class SkyStatisticsTests
{
    /// <summary>Straightforward astropy-style sigma clipping on a sorted copy (the reference).</summary>
    private static (double Mean, double Median, double Std) Reference(float[] data, double sigma, int maxIters)
    {
        List<double> v = [.. data.Where(float.IsFinite).Select(x => (double)x)];
        for (int it = 0; it < maxIters; it++)
        {
            (double m, double med, double s) = Stats(v);
            List<double> next = [.. v.Where(x => x >= med - (sigma * s) && x <= med + (sigma * s))];
            bool same = next.Count == v.Count;
            v = next;
            if (same)
            {
                break;
            }
        }

        return Stats(v);

        static (double, double, double) Stats(List<double> v)
        {
            double[] s = [.. v.Order()];
            double med = s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[(s.Length / 2) - 1] + s[s.Length / 2]);
            double mean = s.Average();
            double std = Math.Sqrt(s.Sum(x => (x - mean) * (x - mean)) / s.Length);
            return (mean, med, std);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Sigma_clipped_stats_equal_the_sorted_reference(int seed)
    {
        float[] img = TestData.Noise(200, 150, 100, 11, seed);
        TestData.AddStar(img, 200, 150, 50, 60, 1e5, 2.5);
        TestData.AddStar(img, 200, 150, 120, 30, 3e4, 2.5);
        img[17] = float.NaN;
        img[1000] = 5000;
        img[1001] = -3000;
        ClippedStats s = SkyStatistics.SigmaClipped(new DetectionImage(img, 200, 150));
        (double mean, double median, double std) = Reference(img, 3, 5);
        Assert.Equal(median, s.Median, 12);
        Assert.Equal(mean, s.Mean, 9);
        Assert.Equal(std, s.Std, 9);
    }

    [Fact]
    public void Sigma_clipped_stats_ignore_masked_pixels_and_handle_empty_input()
    {
        float[] img = TestData.Noise(50, 50, 10, 1, 3);
        var mask = new bool[img.Length];
        for (int i = 0; i < 100; i++)
        {
            img[i] = 1e6f;
            mask[i] = true;
        }

        ClippedStats s = SkyStatistics.SigmaClipped(new DetectionImage(img, 50, 50, mask));
        Assert.InRange(s.Median, 9.8, 10.2);
        Assert.True(s.Count <= 2400);

        var allBad = new DetectionImage(Enumerable.Repeat(float.NaN, 16).ToArray(), 4, 4);
        Assert.Equal(0, SkyStatistics.SigmaClipped(allBad).Count);
    }

    [Fact]
    public void Histogram_mode_finds_the_peak_of_a_skewed_distribution()
    {
        float[] img = TestData.Noise(300, 300, 100, 10, 4);
        for (int i = 0; i < img.Length; i += 7)
        {
            img[i] += 25;   // a positive tail (faint sources) pulls the mean up but not the mode
        }

        ModeStats m = SkyStatistics.HistogramMode(new DetectionImage(img, 300, 300));
        Assert.InRange(m.Mode, 98.5, 102.5);
        Assert.True(m.Mean > m.Mode);
        Assert.Equal(Math.Sqrt(2 * Math.Abs(m.Mode)), SkyStatistics.ComputeSig(new DetectionImage(img, 300, 300)), 10);
    }

    [Fact]
    public void Background_mesh_follows_a_gradient_and_measures_the_noise()
    {
        int n = 256;
        float[] img = TestData.Noise(n, n, 0, 5, 9);
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                img[(y * n) + x] += (float)(100 + (0.05 * x) + (0.02 * y));
            }
        }

        var mesh = BackgroundMesh.Estimate(new DetectionImage(img, n, n), new BackgroundMeshOptions { BoxSize = 32 });
        Assert.InRange(mesh.BackgroundAt(128, 128) - (100 + 6.4 + 2.56), -0.6, 0.6);
        Assert.InRange(mesh.BackgroundAt(200, 60) - (100 + 10 + 1.2), -0.6, 0.6);
        Assert.InRange(mesh.RmsAt(100, 50), 4.7, 5.3);
        float[] sub = mesh.Subtract(new DetectionImage(img, n, n));
        Assert.InRange(sub.Skip(n * 100).Take(n * 50).Average(), -0.3, 0.3);
    }

    [Fact]
    public void Key_order_is_float_order()
    {
        float[] values = [float.MinValue, -1e10f, -1f, -1e-30f, -0f, 0f, 1e-30f, 1f, 3.5f, float.MaxValue];
        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(KeyBuckets.Key(values[i - 1]) < KeyBuckets.Key(values[i]));
            Assert.Equal(values[i], KeyBuckets.FromKey(KeyBuckets.Key(values[i])));
        }
    }
}
