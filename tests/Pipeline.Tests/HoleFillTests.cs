using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class HoleFillTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdhole-" + Guid.NewGuid().ToString("N"));

    public HoleFillTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    // The output grid has the chip's pixels with a margin of 3 on every side: chip pixel (30, 20) is output pixel (33, 23).
    private const int Hole = (23 * 70) + 33;

    private static Exposure WithBadPixel()
    {
        const int w = 64, h = 48;
        FitsWcs wcs = FitsWcs.CreateTan(150, 2, (w + 1) / 2.0, (h + 1) / 2.0, 0.05, 20);
        var sci = Enumerable.Repeat(10f, w * h).ToArray();
        var dq = new uint[w * h];
        dq[(20 * w) + 30] = 4;
        var err = Enumerable.Repeat(2f, w * h).ToArray();
        var chip = new Chip("a[SCI,1]", 1, w, h, sci, err, dq, wcs, new Fits.FitsHeader());
        return new Exposure("a", null, 100, DataUnits.Counts, [chip]);
    }

    private AstroDrizzleOptions Options() => new()
    {
        OutputFolder = _dir,
        Output = "h",
        FinalScale = 0.05,
        FinalRot = 20,
        FinalRa = 150,
        FinalDec = 2,
        FinalOutNx = 70,
        FinalOutNy = 54,
        FinalPixfrac = 0.5,
        SkySub = false,
        StaticMask = false,
        NumCores = 1,
    };

    [Fact]
    public void A_rejected_pixel_leaves_a_hole_at_small_pixfrac_that_larger_drops_fill_from_its_neighbours()
    {
        Exposure e = WithBadPixel();
        AstroDrizzleResult plain = AstroDrizzle.Run([e], Options());
        WeightStatistics before = DrizzleQuality.Measure(plain.Wht, plain.Grid.Width, plain.Grid.Height);
        Assert.Equal(1, before.HolePixels);
        Assert.Equal(0f, plain.Wht[Hole]);

        AstroDrizzleResult filled = AstroDrizzle.Run([e], Options() with { FinalHolePixfrac = 2.0 });
        WeightStatistics after = DrizzleQuality.Measure(filled.Wht, filled.Grid.Width, filled.Grid.Height);
        Assert.Equal(0, after.HolePixels);
        Assert.True(filled.Wht[Hole] > 0);
        Assert.Equal(0.1, filled.Sci[Hole], 5); // 10 counts in 100 s from the neighbours
        for (int k = 0; k < filled.Sci.Length; k++)
        {
            if (k != Hole)
            {
                // Every other pixel as before, including the margin around the chip that the larger drops reach.
                Assert.Equal(plain.Sci[k], filled.Sci[k]);
                Assert.Equal(plain.Wht[k], filled.Wht[k]);
            }
        }

        Assert.Equal(0f, filled.Wht[(23 * 70) + 2]);
        Assert.Equal(0f, filled.Wht[(1 * 70) + 33]);
    }

    [Fact]
    public void Hole_fill_does_not_depend_on_the_tile_height()
    {
        Exposure e = WithBadPixel();
        AstroDrizzleResult whole = AstroDrizzle.Run([e], Options() with { FinalHolePixfrac = 2.0, FinalErr = true });
        AstroDrizzleResult tiled = AstroDrizzle.Run([e], Options() with { FinalHolePixfrac = 2.0, FinalErr = true, TileRows = 7, Output = "h7" });
        Assert.Equal(whole.Sci, tiled.Sci);
        Assert.Equal(whole.Wht, tiled.Wht);

        // The filled holes carry the variance of their larger drops: no zero ERR where the weight is positive.
        float[] Err(string path)
        {
            using TweakDrizzle.Fits.FitsFile f = TweakDrizzle.Fits.FitsFile.Open(path);
            return f.Find("ERR")!.ReadImage<float>().Data;
        }

        float[] err = Err(whole.ProductPath);
        Assert.Equal(err, Err(tiled.ProductPath));
        Assert.All(Enumerable.Range(0, err.Length).Where(k => whole.Wht[k] > 0), k => Assert.True(err[k] > 0, $"pixel {k}"));
    }

    [Fact]
    public void Hole_pixfrac_must_exceed_final_pixfrac_and_stay_below_the_limit()
    {
        Assert.Throws<CombineException>(() => AstroDrizzle.Run([WithBadPixel()], Options() with { FinalHolePixfrac = 0.4 }));
        Assert.Throws<CombineException>(() => AstroDrizzle.Run([WithBadPixel()], Options() with { FinalHolePixfrac = 5 }));
        Assert.False(File.Exists(Path.Combine(_dir, "h_drz.fits")));
    }
}
