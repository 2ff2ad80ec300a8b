using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class SkyMatchTests : IDisposable
{
    private const int W = 200, H = 150;
    private const double Scale = 0.05;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdskym-" + Guid.NewGuid().ToString("N"));

    public SkyMatchTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A chip of sky (counts) plus the same stars on the sky in every exposure, with Gaussian noise.</summary>
    private static SkyMatchChip Chip(int exposure, double dxPix, double dyPix, double skyRate, double exptime, int seed, double rotation = 0)
    {
        const double ra0 = 150, dec0 = 2;
        double ra = ra0 + (dxPix * Scale / 3600 / Math.Cos(dec0 * Math.PI / 180)), dec = dec0 + (dyPix * Scale / 3600);
        FitsWcs wcs = FitsWcs.CreateTan(ra, dec, (W + 1) / 2.0, (H + 1) / 2.0, Scale, rotation);
        (double Ra, double Dec, double Rate)[] stars = [(150.0005, 2.0003, 400), (149.9996, 1.9998, 900), (150.0001, 1.9995, 150)];
        var rng = new Random(seed);
        var data = new float[W * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                double v = skyRate * exptime;
                foreach ((double sra, double sdec, double rate) in stars)
                {
                    (double sx, double sy) = wcs.WorldToPixel(sra, sdec);
                    double r2 = ((x - sx) * (x - sx)) + ((y - sy) * (y - sy));
                    v += rate * exptime / (2 * Math.PI * 2.25) * Math.Exp(-r2 / 4.5);
                }

                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                data[(y * W) + x] = (float)(v + (Math.Sqrt(v + 25) * g));
            }
        }

        return SkyMatchChip.FromArrays(exposure, data, null, W, H, wcs, 1.0 / exptime, skyRate);
    }

    [Fact]
    public void Recovers_injected_sky_offsets_relative_to_the_lowest_within_0_003_per_second()
    {
        // Sky rates 0.50, 0.80, 0.55 and 1.30 e⁻/s (counts over 100 s, one of 400 s, one chip rotated by 30°):
        // per-pixel noise ≈ 0.04-0.09 e⁻/s, so 0.003 e⁻/s is a few per cent of one pixel's noise.
        double[] sky = [0.50, 0.80, 0.55, 1.30];
        var chips = new List<SkyMatchChip>
        {
            Chip(0, 0, 0, sky[0], 100, 1),
            Chip(1, 40, 25, sky[1], 100, 2),
            Chip(2, -30, 20, sky[2], 400, 3, rotation: 30),
            Chip(3, 15, -35, sky[3], 100, 4),
        };
        SkyMatchResult m = SkyMatch.Solve(chips, new SkyMatchOptions());
        Assert.Equal(1, m.Groups);
        Assert.Equal(6, m.Pairs.Count);
        Assert.Equal(0.0, m.GlobalMin);
        for (int i = 0; i < sky.Length; i++)
        {
            Assert.InRange(m.Offsets[i] - (sky[i] - sky.Min()), -0.003, 0.003);
            Assert.Equal(m.Offsets[i], m.Sky[i]);
        }

        Assert.Equal(0.0, m.Offsets[0]);
        SkyMatchResult g = SkyMatch.Solve(chips, new SkyMatchOptions { AddGlobalMin = true });
        Assert.Equal(0.50, g.GlobalMin, 12);
        for (int i = 0; i < sky.Length; i++)
        {
            Assert.Equal(m.Offsets[i] + 0.50, g.Sky[i], 12);
        }
    }

    [Fact]
    public void A_small_cell_budget_grows_the_cells_and_still_recovers_the_offsets()
    {
        var chips = new List<SkyMatchChip> { Chip(0, 0, 0, 0.5, 100, 1), Chip(1, 40, 25, 0.8, 100, 2) };
        SkyMatchResult m = SkyMatch.Solve(chips, new SkyMatchOptions { MaxCellValues = 4000 });
        SkyMatchPair pair = Assert.Single(m.Pairs);
        Assert.InRange(pair.Cells, 100, 1500); // about 1/5 of the 2×2-pixel cells of the overlap
        Assert.InRange(m.Offsets[1] - 0.3, -0.004, 0.004);
    }

    [Fact]
    public void Exposures_without_overlap_form_separate_groups_each_with_its_lowest_at_zero()
    {
        var chips = new List<SkyMatchChip>
        {
            Chip(0, 0, 0, 0.5, 100, 1),
            Chip(1, 30, 0, 0.7, 100, 2),
            Chip(2, 2000, 0, 0.9, 100, 3),
        };
        SkyMatchResult m = SkyMatch.Solve(chips, new SkyMatchOptions());
        Assert.Equal(2, m.Groups);
        Assert.Single(m.Pairs);
        Assert.InRange(m.Offsets[1] - 0.2, -0.003, 0.003);
        Assert.Equal(0.0, m.Offsets[0]);
        Assert.Equal(0.0, m.Offsets[2]);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<CombineException>(() => SkyMatch.Solve([], new SkyMatchOptions()));
        SkyMatchChip c = Chip(0, 0, 0, 0.5, 100, 1);
        Assert.Throws<CombineException>(() => SkyMatch.Solve([c with { Width = 10 }], new SkyMatchOptions()));
        Assert.Throws<CombineException>(() => SkyMatch.Solve([c], new SkyMatchOptions { CellPixels = 0 }));
    }

    [Fact]
    public void AstroDrizzle_match_and_globalmin_match_subtract_the_matched_sky_from_each_exposure()
    {
        // Flat exposures of 10 and 13 counts (100 s): match leaves the lower alone and takes 3 counts off the other;
        // globalmin+match adds the lowest sky (10 counts) to both.
        Exposure a = CombineStepTests.Synthetic("a", 150, 2, value: 10f);
        Exposure b = CombineStepTests.Synthetic("b", 150.0001, 2.00005, value: 13f);
        var o = new AstroDrizzleOptions { OutputFolder = _dir, Output = "m", SkyMethod = SkyMethod.Match, StaticMask = false, DrizCr = false, NumCores = 1 };
        AstroDrizzleResult r = AstroDrizzle.Run([a, b], o);
        Assert.Equal(0.0, r.Chips[0].Sky, 6);
        Assert.Equal(3.0, r.Chips[1].Sky, 4);
        AstroDrizzleResult g = AstroDrizzle.Run([a, b], o with { SkyMethod = SkyMethod.GlobalminMatch });
        Assert.Equal(10.0, g.Chips[0].Sky, 4);
        Assert.Equal(13.0, g.Chips[1].Sky, 4);
    }
}
