namespace TweakDrizzle.SourceFinder.Tests;

/// <summary>
/// Pixel-phase bias of the refined centroids, scored as find_bench.py does (mean error per fifth of a pixel of true
/// sub-pixel phase, x and y separately) on a simulated field: a grid of bright stars with uniformly spread phases,
/// pixel-integrated Gaussian PSF, sky 100 + read noise 5 + source Poisson noise (gain 1).
/// </summary>
public class PhaseBiasTests
{
    private const int N = 640;
    private const int Step = 16;

    private static float[] GridField(double fwhm, int seed, out List<(double X, double Y)> stars)
    {
        var model = new float[N * N];
        stars = [];
        int k = 0;
        for (int gy = Step; gy < N - Step + 1; gy += Step)
        {
            for (int gx = Step; gx < N - Step + 1; gx += Step, k++)
            {
                // Low-discrepancy phases (golden-ratio sequences): every phase bin equally filled in x and in y.
                double phx = Frac((k * 0.6180339887498949) + (0.1 * seed)) - 0.5;
                double phy = Frac((k * 0.7548776662466927) + (0.3 * seed)) - 0.5;
                double x = gx + phx, y = gy + phy;
                double flux = 20000 + (40000 * Frac(k * 0.5698402909980532));   // S/N ≈ 130–260 at FWHM 2.5
                stars.Add((x, y));
                TestData.AddStar(model, N, N, x, y, flux, fwhm);
            }
        }

        var rng = new Random(seed);
        var img = new float[N * N];
        for (int i = 0; i < img.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double gauss = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            double e = 100 + model[i];
            img[i] = (float)(e + (Math.Sqrt(25 + e) * gauss));
        }

        return img;
    }

    private static double Frac(double v) => v - Math.Floor(v);

    /// <summary>Mean error and its standard error in each of 5 phase bins, for x then y (10 rows).</summary>
    private static List<(double Mean, double Se, int N)> PhaseBins(IReadOnlyList<DetectedSource> found, List<(double X, double Y)> stars)
    {
        var ex = new List<double>[5];
        var ey = new List<double>[5];
        for (int b = 0; b < 5; b++)
        {
            ex[b] = [];
            ey[b] = [];
        }

        foreach ((double x, double y) in stars)
        {
            DetectedSource d = Assert.Single(found, s => Math.Abs(s.X - x) < 1 && Math.Abs(s.Y - y) < 1);
            ex[Bin(x)].Add(d.X - x);
            ey[Bin(y)].Add(d.Y - y);
        }

        return [.. ex.Concat(ey).Select(l =>
        {
            double m = l.Average();
            double sd = Math.Sqrt(l.Sum(v => (v - m) * (v - m)) / (l.Count - 1));
            return (m, sd / Math.Sqrt(l.Count), l.Count);
        })];

        static int Bin(double t) => Math.Clamp((int)Math.Floor((t - Math.Floor(t + 0.5) + 0.5) * 5), 0, 4);
    }

    [Theory]
    [InlineData(1.8)]
    [InlineData(2.5)]
    public void Refined_centroids_have_no_pixel_phase_bias(double fwhm)
    {
        float[] img = GridField(fwhm, 3, out List<(double X, double Y)> stars);
        SourceCatalog cat = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = fwhm }).Find(new DetectionImage(img, N, N));
        List<(double Mean, double Se, int N)> bins = PhaseBins(cat.Sources, stars);

        // ~300 stars per bin, per-axis scatter ≈ 0.004 px: a bin mean has σ ≈ 0.0003 px. Every bin must be consistent
        // with zero (4σ) and far below the 0.005 px bar; DAOFIND's S-curve (below) is ten times larger.
        Assert.All(bins, b =>
        {
            Assert.True(b.N > 250, $"bin of {b.N} stars");
            Assert.True(Math.Abs(b.Mean) < Math.Max(4 * b.Se, 0.0005), $"phase bin mean {b.Mean:F5} ± {b.Se:F5} px");
            Assert.True(Math.Abs(b.Mean) < 0.0015, $"phase bin mean {b.Mean:F5} px");
        });
    }

    [Fact]
    public void The_same_field_shows_the_daofind_s_curve()
    {
        // Sensitivity check of the scoring: photutils' one-step marginal centroid overshoots toward the half-pixel.
        float[] img = GridField(1.8, 3, out List<(double X, double Y)> stars);
        float[] sub = [.. img.Select(v => v - 100f)];
        SourceCatalog dao = new DaoStarFinder(new DaoStarFinderOptions { Fwhm = 1.8, Threshold = 56 }).Find(new DetectionImage(sub, N, N));
        List<(double Mean, double Se, int N)> bins = PhaseBins(dao.Sources, stars);
        Assert.True(bins[0].Mean < -0.02 && bins[4].Mean > 0.02, $"dao x bins {bins[0].Mean:F4} .. {bins[4].Mean:F4}");
        Assert.True(bins[5].Mean < -0.02 && bins[9].Mean > 0.02, $"dao y bins {bins[5].Mean:F4} .. {bins[9].Mean:F4}");
    }

    [Fact]
    public void A_cosmic_ray_hit_on_a_star_does_not_pull_its_centroid()
    {
        const int n = 96;
        const double x0 = 47.3, y0 = 50.15;
        var model = new float[n * n];
        TestData.AddStar(model, n, n, x0, y0, 15000, 2.5);
        float[] noise = TestData.Noise(n, n, 100, 11.2, 7);
        float[] img = [.. noise.Zip(model, (a, b) => a + b)];
        // A three-pixel track two pixels above the star, added after the noise (as starfield.py does).
        img[(52 * n) + 46] += 1000;
        img[(52 * n) + 47] += 1200;
        img[(53 * n) + 47] += 800;

        DetectedSource Fit(double clip) => Assert.Single(
            new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5, ClipSigma = clip }).Find(new DetectionImage(img, n, n)).Sources,
            s => Math.Abs(s.X - x0) < 1.5 && Math.Abs(s.Y - y0) < 1.5);

        DetectedSource robust = Fit(5);
        DetectedSource plain = Fit(0);
        double errRobust = Math.Sqrt(((robust.X - x0) * (robust.X - x0)) + ((robust.Y - y0) * (robust.Y - y0)));
        double errPlain = Math.Sqrt(((plain.X - x0) * (plain.X - x0)) + ((plain.Y - y0) * (plain.Y - y0)));
        Assert.True(plain.Y - y0 > 0.05, $"without clipping the track pulls the centroid: dy {plain.Y - y0:F4}");
        Assert.True(errRobust < 0.03, $"with clipping the error is {errRobust:F4} px");
        Assert.True(robust.Flags.HasFlag(SourceQuality.PixelsRejected));
        Assert.False(plain.Flags.HasFlag(SourceQuality.PixelsRejected));
        Assert.InRange(robust.Flux / 15000, 0.95, 1.05);
        Assert.True(errPlain > 4 * errRobust);
    }

    [Fact]
    public void Clipping_leaves_clean_stars_alone()
    {
        float[] img = GridField(2.5, 4, out List<(double X, double Y)> stars);
        SourceCatalog a = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 }).Find(new DetectionImage(img, N, N));
        SourceCatalog b = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5, ClipSigma = 0 }).Find(new DetectionImage(img, N, N));
        Assert.Equal(stars.Count, a.Count);
        Assert.Equal(b.Count, a.Count);
        int clipped = a.Sources.Count(s => s.Flags.HasFlag(SourceQuality.PixelsRejected));
        Assert.True(clipped <= 2, $"{clipped} clean stars had pixels rejected");
        Assert.Throws<SourceFinderException>(() => new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5, ClipSigma = -1 }));
    }
    [Fact]
    public void Smooth_psf_mismatch_is_not_clipped()
    {
        // Bright stars whose PSF has broader wings than the fitted Gaussian (a core plus a 25 % halo of twice the FWHM):
        // the residuals are large but smooth, so no pixel may be rejected and the positions must equal the unclipped fit.
        const int n = 320;
        float[] img = TestData.Noise(n, n, 100, 11.2, 11);
        var stars = new List<(double X, double Y)>();
        int k = 0;
        for (int gy = 20; gy < n - 10; gy += 20)
        {
            for (int gx = 20; gx < n - 10; gx += 20, k++)
            {
                double x = gx + Frac(k * 0.6180339887498949) - 0.5, y = gy + Frac(k * 0.7548776662466927) - 0.5;
                double flux = 5e4 + (5e3 * (k % 40));
                TestData.AddStar(img, n, n, x, y, 0.75 * flux, 2.5);
                TestData.AddStar(img, n, n, x, y, 0.25 * flux, 5.0);
                stars.Add((x, y));
            }
        }

        var image = new DetectionImage(img, n, n);
        SourceCatalog clip = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5 }).Find(image);
        SourceCatalog plain = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = 2.5, ClipSigma = 0 }).Find(image);
        Assert.Equal(plain.Count, clip.Count);
        foreach ((double x, double y) in stars)
        {
            DetectedSource a = Assert.Single(clip.Sources, s => Math.Abs(s.X - x) < 1 && Math.Abs(s.Y - y) < 1);
            DetectedSource b = Assert.Single(plain.Sources, s => Math.Abs(s.X - x) < 1 && Math.Abs(s.Y - y) < 1);
            Assert.False(a.Flags.HasFlag(SourceQuality.PixelsRejected), $"pixels rejected on the clean star at ({x:F2}, {y:F2})");
            Assert.Equal(b.X, a.X);
            Assert.Equal(b.Y, a.Y);
        }
    }
}
