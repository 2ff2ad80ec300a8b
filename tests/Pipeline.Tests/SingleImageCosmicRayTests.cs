using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class SingleImageCosmicRayTests : IDisposable
{
    private const int W = 48, H = 40;
    private static readonly ChipNoise Noise = new(40, 1, 5); // σ ≈ 8 e- on the sky
    private readonly string _dir = Directory.CreateTempSubdirectory("td-lacosmic-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Sky noise, a well-sampled star (FWHM 2.2 px, peak 4000) at (12, 12) and a 3-pixel track at y = 30.</summary>
    private static float[] StarTrackAndNoise(int seed)
    {
        var rng = new Random(seed);
        var data = new float[W * H];
        double sigma = 2.2 / 2.3548;
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                double star = 4000 * Math.Exp(-(((x - 12.3) * (x - 12.3)) + ((y - 11.8) * (y - 11.8))) / (2 * sigma * sigma));
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                data[(y * W) + x] = (float)(star + (g * Math.Sqrt(40 + star + 25)));
            }
        }

        foreach (int x in (int[])[30, 31, 32])
        {
            data[(30 * W) + x] += 600;
        }

        return data;
    }

    private static bool[] All(bool value) => Enumerable.Repeat(value, W * H).ToArray();

    private static int[] Flagged(bool[] mask) => Enumerable.Range(0, mask.Length).Where(k => mask[k]).ToArray();

    [Fact]
    public void Track_is_found_and_the_star_is_not()
    {
        float[] data = StarTrackAndNoise(3);
        bool[] cr = SingleImageCosmicRays.Detect(data, All(true), All(true), W, H, Noise, new SingleImageCrTest());
        int[] flagged = Flagged(cr);
        Assert.Contains((30 * W) + 30, flagged);
        Assert.Contains((30 * W) + 31, flagged);
        Assert.Contains((30 * W) + 32, flagged);
        Assert.DoesNotContain(flagged, k => Math.Abs((k % W) - 12) <= 4 && Math.Abs((k / W) - 12) <= 4);
        Assert.True(flagged.Length <= 6, $"{flagged.Length} pixels flagged");
    }

    [Fact]
    public void Only_tested_pixels_are_flagged_and_threads_do_not_change_the_result()
    {
        float[] data = StarTrackAndNoise(5);
        bool[] tested = All(false);
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W / 2; x++)
            {
                tested[(y * W) + x] = true; // the left half: the star, not the track
            }
        }

        bool[] one = SingleImageCosmicRays.Detect(data, All(true), tested, W, H, Noise, new SingleImageCrTest(), maxThreads: 1);
        bool[] two = SingleImageCosmicRays.Detect(data, All(true), tested, W, H, Noise, new SingleImageCrTest(), maxThreads: 2);
        Assert.Equal(one, two);
        Assert.All(Flagged(one), k => Assert.True(tested[k]));
        Assert.DoesNotContain((30 * W) + 31, Flagged(one));

        bool[] nothing = SingleImageCosmicRays.Detect(data, All(true), All(false), W, H, Noise, new SingleImageCrTest());
        Assert.Empty(Flagged(nothing));
    }

    [Fact]
    public void Result_does_not_depend_on_where_the_row_bands_fall()
    {
        // A tall noisy image with hits on and around row 128 (a band boundary), tested whole, and the same image
        // under 37 more rows: the flags must be the same, shifted.
        const int w = 40, h = 300, pad = 37;
        var rng = new Random(11);
        var data = new float[w * (h + pad)];
        for (int k = 0; k < data.Length; k++)
        {
            data[k] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()) * 8);
        }

        foreach ((int x, int y) in ((int, int)[])[(10, 125), (10, 126), (11, 127), (11, 128), (12, 129), (30, 131), (20, 255), (21, 256)])
        {
            data[((y + pad) * w) + x] += 400;
        }

        bool[] tall = SingleImageCosmicRays.Detect(data, Enumerable.Repeat(true, data.Length).ToArray(), Enumerable.Repeat(true, data.Length).ToArray(),
            w, h + pad, Noise, new SingleImageCrTest());
        float[] top = data[(pad * w)..];
        bool[] cut = SingleImageCosmicRays.Detect(top, Enumerable.Repeat(true, top.Length).ToArray(), Enumerable.Repeat(true, top.Length).ToArray(),
            w, h, Noise, new SingleImageCrTest());
        Assert.Equal(tall[(pad * w)..], cut);
        Assert.True(cut[(128 * w) + 11] && cut[(256 * w) + 21], "the hits across the band boundaries are found");
    }

    [Fact]
    public void Bad_pixels_do_not_make_cosmic_rays_around_them()
    {
        float[] data = StarTrackAndNoise(7);
        bool[] usable = All(true);
        data[(10 * W) + 36] = 30000; // a hot pixel, masked
        usable[(10 * W) + 36] = false;
        bool[] tested = (bool[])usable.Clone();
        bool[] cr = SingleImageCosmicRays.Detect(data, usable, tested, W, H, Noise, new SingleImageCrTest());
        Assert.DoesNotContain(Flagged(cr), k => Math.Abs((k % W) - 36) <= 1 && Math.Abs((k / W) - 10) <= 1);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        float[] data = StarTrackAndNoise(1);
        Assert.Throws<CombineException>(() => SingleImageCosmicRays.Detect(data, All(true), new bool[3], W, H, Noise, new SingleImageCrTest()));
        Assert.Throws<CombineException>(() => SingleImageCosmicRays.Detect(data, All(true), All(true), W, H, Noise, new SingleImageCrTest { SigClip = 0 }));
        Assert.Throws<CombineException>(() => SingleImageCosmicRays.Detect(data, All(true), All(true), W, H, Noise, new SingleImageCrTest { ObjLim = double.NaN }));
    }

    /// <summary>A noisy flat exposure (100 counts of sky, gain 1) on a TAN grid at (ra, dec), 64 × 48 pixels.</summary>
    private static Exposure NoisyFlat(string name, double ra, int seed, params (int X, int Y, float Charge)[] hits)
    {
        const int w = 64, h = 48;
        var rng = new Random(seed);
        var sci = new float[w * h];
        for (int k = 0; k < sci.Length; k++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            sci[k] = (float)(100 + (g * 10));
        }

        foreach ((int x, int y, float q) in hits)
        {
            sci[(y * w) + x] += q;
        }

        FitsWcs wcs = FitsWcs.CreateTan(ra, 2, (w + 1) / 2.0, (h + 1) / 2.0, 0.05, 0);
        var chip = new Chip(name + "[SCI,1]", 1, w, h, sci, null, new uint[w * h], wcs, new Fits.FitsHeader());
        return new Exposure(name, null, 100, DataUnits.Counts, [chip]);
    }

    [Fact]
    public void Astrodrizzle_finds_a_cosmic_ray_where_one_exposure_covers_the_sky_only_with_the_single_image_test()
    {
        // a and b coincide; c is shifted by 20 pixels in RA, so 20 of its columns see sky no other exposure sees. One
        // hit in that strip (whichever side it is on), one where all three overlap.
        double shift = 20 * 0.05 / 3600 / Math.Cos(2 * Math.PI / 180);
        FitsWcs wa = FitsWcs.CreateTan(150, 2, 32.5, 24.5, 0.05, 0), wc = FitsWcs.CreateTan(150 + shift, 2, 32.5, 24.5, 0.05, 0);
        (double ra8, double dec8) = wc.PixelToWorld(8, 20);
        int xs = wa.WorldToPixel(ra8, dec8).X is var xa && xa > -0.5 && xa < 63.5 ? 55 : 8;
        Exposure a = NoisyFlat("a", 150, 1), b = NoisyFlat("b", 150, 2);
        Exposure c = NoisyFlat("c", 150 + shift, 3, (xs, 20, 1500f), (32, 30, 1500f));
        var o = new AstroDrizzleOptions { OutputFolder = _dir, Output = "lacos", StaticMask = false, NumCores = 2 };
        bool[] with = AstroDrizzle.Run([a, b, c], o).Chips.Single(r => r.Exposure == "c").CosmicRayMask()!;
        bool[] without = AstroDrizzle.Run([a, b, c], o with { Output = "plain", DrizCrSingle = null }).Chips.Single(r => r.Exposure == "c").CosmicRayMask()!;
        int single = (20 * 64) + xs, shared = (30 * 64) + 32;
        Assert.True(with[single], "the hit in the single-coverage strip is found by the single-image test");
        Assert.False(without[single], "AstroDrizzle's rule cannot see it: the median there is the exposure itself");
        Assert.True(with[shared] && without[shared], "the hit in the overlap is found by the median comparison either way");
        Assert.True(Flagged(with).Length - Flagged(without).Length <= 3, "the single-image test adds (almost) only the hit");
    }
}
