using TweakDrizzle.Fits;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class CombineStepTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdcomb-" + Guid.NewGuid().ToString("N"));

    public CombineStepTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    internal static Exposure Synthetic(string name, double ra, double dec, double exptime = 100, DataUnits units = DataUnits.Counts,
        bool err = true, int w = 64, int h = 48, float value = 10f)
    {
        FitsWcs wcs = FitsWcs.CreateTan(ra, dec, (w + 1) / 2.0, (h + 1) / 2.0, 0.05, 20);
        var sci = Enumerable.Repeat(value, w * h).ToArray();
        float[]? e = err ? Enumerable.Repeat(1f, w * h).ToArray() : null;
        var chip = new Chip(name + "[SCI,1]", 1, w, h, sci, e, new uint[w * h], wcs, new Fits.FitsHeader());
        return new Exposure(name, null, exptime, units, [chip]);
    }

    [Fact]
    public void Custom_grid_puts_final_ra_dec_at_the_centre_pixel_north_up_at_the_exact_scale()
    {
        Exposure e = Synthetic("a", 150, 2);
        var o = new AstroDrizzleOptions { FinalScale = 0.025, FinalRot = 0, FinalRa = 150.0001, FinalDec = 2.0002, FinalOutNx = 101, FinalOutNy = 80 };
        OutputGrid g = OutputGrid.Create([e], o);
        Assert.Equal(101, g.Width);
        Assert.Equal(80, g.Height);
        (double ra, double dec) = g.Wcs.PixelToWorld(50, 39.5);
        Assert.Equal(150.0001, ra, 10);
        Assert.Equal(2.0002, dec, 10);
        Assert.Equal(0.025, g.ScaleArcsec, 10);
        Assert.Equal(0.0, g.Orientation, 9);
        Assert.Equal((150.0001, 2.0002), (Math.Round(g.Center.Ra, 10), Math.Round(g.Center.Dec, 10)));
    }

    [Fact]
    public void Default_grid_covers_every_input_at_the_native_scale_and_orientation()
    {
        Exposure a = Synthetic("a", 150, 2), b = Synthetic("b", 150.0003, 2.0002);
        OutputGrid g = OutputGrid.Create([a, b], new AstroDrizzleOptions());
        Assert.Equal(0.05, g.ScaleArcsec, 6);
        Assert.Equal(20.0, g.Orientation, 6);
        foreach (Exposure e in new[] { a, b })
        {
            foreach ((double x, double y) in new[] { (-0.5, -0.5), (63.5, 47.5), (63.5, -0.5), (-0.5, 47.5) })
            {
                (double ra, double dec) = e.Chips[0].Wcs.PixelToWorld(x, y);
                (double px, double py) = g.Wcs.WorldToPixel(ra, dec);
                Assert.InRange(px, -0.5, g.Width - 0.5);
                Assert.InRange(py, -0.5, g.Height - 0.5);
            }
        }
    }

    [Fact]
    public void Grid_above_the_limit_is_refused_before_allocating()
    {
        Exposure e = Synthetic("a", 150, 2);
        var ex = Assert.Throws<CombineException>(() => OutputGrid.Create([e], new AstroDrizzleOptions { FinalScale = 0.0001, MaxOutputPixels = 1_000_000 }));
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
        Assert.Throws<CombineException>(() => OutputGrid.Create([e], new AstroDrizzleOptions { FinalOutNx = 100_000, FinalOutNy = 100_000 }));
    }

    [Fact]
    public void Cosmic_ray_test_flags_a_spike_and_its_bright_neighbour_but_not_a_star_on_a_steep_blot()
    {
        int w = 20, h = 20;
        var blot = new float[w * h];
        var data = new float[w * h];
        // A star: steep blot, data slightly misaligned.
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double r2 = ((x - 5) * (x - 5)) + ((y - 5) * (y - 5));
                blot[(y * w) + x] = (float)(5000 * Math.Exp(-r2 / 2));
                double r2d = ((x - 5.2) * (x - 5.2)) + ((y - 5) * (y - 5));
                data[(y * w) + x] = (float)(5000 * Math.Exp(-r2d / 2));
            }
        }

        data[(14 * w) + 14] += 500;  // strong hit
        data[(14 * w) + 15] += 26;   // weak neighbour: only the second pass catches it
        data[(3 * w) + 16] += 26;    // isolated weak excess: not flagged
        var usable = Enumerable.Repeat(true, w * h).ToArray();
        bool[] cr = CosmicRayDetector.Detect(data, blot, usable, w, h, new ChipNoise(40, 1, 5), (3.5, 3.0), (1.2, 0.7));
        Assert.True(cr[(14 * w) + 14]);
        Assert.True(cr[(14 * w) + 15]);
        Assert.False(cr[(3 * w) + 16]);
        Assert.Equal(2, cr.Count(b => b));
        bool[] grown = CosmicRayDetector.Detect(data, blot, usable, w, h, new ChipNoise(40, 1, 5), (3.5, 3.0), (1.2, 0.7), 3);
        Assert.Equal(12, grown.Count(b => b));
    }

    [Fact]
    public void Median_mean_and_minmed_combine_as_defined()
    {
        int w = 3, h = 1;
        float[] V(params float[] v) => v;
        float[] ones = [1, 1, 1];
        var singles = new List<SingleDrizzle>
        {
            new(V(1, 10, 5), ones, 100, 0, 0),
            new(V(2, 11, 5), ones, 100, 0, 0),
            new(V(3, 12, 5), ones, 100, 0, 0),
            new(V(100, 1000, 5), V(1, 1, 0), 100, 0, 0),
        };
        float[] med = MedianCombiner.Combine(singles, w, h, new AstroDrizzleOptions { CombineType = CombineType.Median });
        Assert.Equal([2.5f, 11.5f, 5f], med);
        float[] mean = MedianCombiner.Combine(singles, w, h, new AstroDrizzleOptions { CombineType = CombineType.Mean, CombineNHigh = 1 });
        Assert.Equal([2f, 11f, 5f], mean);
        float[] minmed = MedianCombiner.Combine(singles, w, h, new AstroDrizzleOptions { CombineType = CombineType.Minmed });
        Assert.Equal(1f, minmed[0]); // median 2.5 exceeds the minimum by more than 4 sigma of the minimum (sqrt(100)/100)
        Assert.Equal(5f, minmed[2]);
    }

    [Fact]
    public void Sky_statistic_ignores_outliers_and_bad_pixels()
    {
        var rng = new Random(3);
        var data = new float[40000];
        for (int i = 0; i < data.Length; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            data[i] = (float)(50 + (3 * g));
        }

        for (int i = 0; i < 2000; i++)
        {
            data[i * 17] = 5000;
        }

        var good = Enumerable.Repeat(true, data.Length).ToArray();
        good[5] = false;
        data[5] = -1e6f;
        (double sky, double sd) = SkyStatistics.Compute(data, good, SkyStatistic.Median);
        Assert.InRange(sky, 49.8, 50.2);
        Assert.InRange(sd, 2.8, 3.2);
    }

    [Fact]
    public void Inputs_expand_lists_and_wildcards_in_order()
    {
        foreach (string n in new[] { "b_flc.fits", "a_flc.fits", "c.fits" })
        {
            File.WriteAllText(Path.Combine(_dir, n), "x");
        }

        File.WriteAllText(Path.Combine(_dir, "list.txt"), "# inputs\nc.fits extra\n\n");
        IReadOnlyList<string> files = InputFiles.Expand([Path.Combine(_dir, "*_flc.fits"), "@" + Path.Combine(_dir, "list.txt"), Path.Combine(_dir, "a_flc.fits")]);
        Assert.Equal(["a_flc.fits", "b_flc.fits", "c.fits"], files.Select(f => Path.GetFileName(f)!).ToArray());
        Assert.Throws<CombineException>(() => InputFiles.Expand([Path.Combine(_dir, "*.none")]));
        Assert.Throws<CombineException>(() => InputFiles.Expand(["@" + Path.Combine(_dir, "missing.txt")]));
    }

    [Fact]
    public void Bad_inputs_are_refused_with_plain_messages()
    {
        Exposure a = Synthetic("a", 150, 2), rate = Synthetic("r", 150, 2, units: DataUnits.CountRate), noErr = Synthetic("n", 150, 2, err: false);
        var o = new AstroDrizzleOptions { OutputFolder = _dir, DrizCr = false, NumCores = 1 };
        Assert.Contains("mix", Assert.Throws<CombineException>(() => AstroDrizzle.Run([a, rate], o)).Message, StringComparison.Ordinal);
        Assert.Contains("ERR", Assert.Throws<CombineException>(() => AstroDrizzle.Run([noErr], o with { FinalWhtType = WeightType.Err })).Message, StringComparison.Ordinal);
        var far = o with { FinalRa = 10, FinalDec = -40, FinalOutNx = 50, FinalOutNy = 50 };
        Assert.Contains("overlap", Assert.Throws<CombineException>(() => AstroDrizzle.Run([a], far)).Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.fits"));
    }

    [Fact]
    public void Err_extension_carries_the_inputs_err_through_the_final_drizzle()
    {
        // ERR 1 count in 100 s is 0.01 count/s; two such exposures on the same pixels, equally weighted: 0.01/√2.
        Exposure a = Synthetic("a", 150, 2, exptime: 100), b = Synthetic("b", 150, 2, exptime: 100);
        (double ra, double dec) = a.Chips[0].Wcs.PixelToWorld(31.5, 23.5);
        var o = new AstroDrizzleOptions
        {
            OutputFolder = _dir, Output = "err1", SkySub = false, StaticMask = false, DrizCr = false, NumCores = 1, FinalErr = true,
            FinalScale = 0.05, FinalRot = 20, FinalRa = ra, FinalDec = dec, FinalOutNx = 64, FinalOutNy = 48,
        };
        float[] Err(AstroDrizzleResult r)
        {
            using FitsFile f = FitsFile.Open(r.ProductPath);
            Assert.Equal(["SCI", "WHT", "CTX", "ERR"], f.Hdus.Skip(1).Select(h => h.ExtName!.Trim()).ToArray());
            return f.Find("ERR")!.ReadImage<float>().Data;
        }

        int center = (24 * 64) + 32;
        Assert.Equal(0.01f, Err(AstroDrizzle.Run([a], o))[center], 6);
        Assert.Equal(0.01f / MathF.Sqrt(2), Err(AstroDrizzle.Run([a, b], o with { Output = "err2" }))[center], 6);
        Assert.Equal(200 * 0.01f / MathF.Sqrt(2), Err(AstroDrizzle.Run([a, b], o with { Output = "err3", FinalUnits = OutputUnits.Counts }))[center], 4);

        // Unequal EXP weights (100 s and 300 s, ERR 1 count each): (100²·0.01² + 300²·(1/300)²) / 400², squared-weight sum.
        Exposure c = Synthetic("c", 150, 2, exptime: 300);
        Assert.Equal(MathF.Sqrt(2f) / 400, Err(AstroDrizzle.Run([a, c], o with { Output = "err4" }))[center], 7);

        // Where nothing landed ERR is NaN (unknown), whatever the SCI fill value.
        float[] edge = Err(AstroDrizzle.Run([a], o with { Output = "err5", FinalOutNx = 80, FinalFillval = TweakDrizzle.Resample.FillValue.Of(-1) }));
        Assert.True(float.IsNaN(edge[(24 * 80) + 79]));

        // Off by default; refused without ERR arrays.
        using (FitsFile plain = FitsFile.Open(AstroDrizzle.Run([a], o with { Output = "noerr", FinalErr = false }).ProductPath))
        {
            Assert.Null(plain.Find("ERR"));
        }

        Exposure noErr = Synthetic("n", 150, 2, err: false);
        Assert.Contains("ERR extension", Assert.Throws<CombineException>(() => AstroDrizzle.Run([noErr], o with { Output = "bad" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flat_exposures_give_the_rate_and_exposure_weights()
    {
        Exposure a = Synthetic("a", 150, 2, exptime: 100, value: 200f), b = Synthetic("b", 150.00001, 2.00001, exptime: 300, value: 600f);
        var o = new AstroDrizzleOptions { OutputFolder = _dir, Output = "flat", SkySub = false, StaticMask = false, NumCores = 1, CombineType = CombineType.Median };
        AstroDrizzleResult r = AstroDrizzle.Run([a, b], o);
        Assert.Equal(400.0, r.TotalExposureTime);
        Assert.EndsWith("flat_drz.fits", r.ProductPath, StringComparison.Ordinal);
        int center = ((r.Grid.Height / 2) * r.Grid.Width) + (r.Grid.Width / 2);
        Assert.Equal(2.0f, r.Sci[center], 4);
        Assert.Equal(400f, r.Wht[center], 2);
        Assert.Equal(0, r.CosmicRayPixels);
        bool run2 = AstroDrizzle.Run([a, b], o with { Output = "flat2", FinalUnits = OutputUnits.Counts }).Sci[center] is var v && Math.Abs(v - 800f) < 0.01f;
        Assert.True(run2);
    }
}

public class AdvisorTests
{
    /// <summary>200×200-pixel exposures of one flat field, offset by (dx, dy) native pixels (0.05") in RA and Dec.</summary>
    private static List<Exposure> Dithered(double[] dx, double[] dy) => Enumerable.Range(0, dx.Length).Select(i =>
        CombineStepTests.Synthetic("e" + i, 150 + (dx[i] * 0.05 / 3600 / Math.Cos(2 * Math.PI / 180)), 2 + (dy[i] * 0.05 / 3600), w: 200, h: 200)).ToList();

    [Fact]
    public void Advisor_recommends_an_acceptable_scale_and_pixfrac_and_sharper_drops_are_less_uniform()
    {
        var exposures = Dithered([0, 0.5, 0, 0.5], [0, 0, 0.5, 0.5]);
        DrizzleAdvice a = DrizzleAdvisor.Advise(exposures, patch: 4, numCores: 1);
        Assert.Equal(4, a.Exposures);
        Assert.Contains(a.Trials, t => t.ScaleArcsec == a.FinalScale && t.Pixfrac == a.FinalPixfrac && t.Acceptable);
        Assert.True(a.FinalScale < a.NativeScale, a.Reason);
        var atScale = a.Trials.Where(t => t.ScaleArcsec == a.FinalScale).OrderByDescending(t => t.Pixfrac).ToList();
        Assert.True(atScale[^1].RmsOverMedian > atScale[0].RmsOverMedian);
    }

    [Fact]
    public void Point_source_field_renders_each_star_with_unit_flux_on_a_rotated_chip()
    {
        // A 0.05" chip rotated by 20 degrees: the stars' flat-fielded pixel values, summed, give flux 1 each.
        Exposure e = CombineStepTests.Synthetic("e", 150, 2, w: 200, h: 200);
        Chip chip = e.Chips[0];
        (double ra, double dec) = chip.Wcs.PixelToWorld(99.5, 99.5);
        var field = new PointSourceField(ra, dec, 6, 2 * 0.05, 0.05);
        Assert.Equal(36, field.Count);
        float[] data = field.Render(chip, 0, 0, 200, 200);
        Assert.Equal(36.0, data.Sum(v => (double)v), 3);

        // A rectangle of the chip holds the same values as the whole chip there.
        float[] part = field.Render(chip, 40, 60, 50, 30);
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < 50; x++)
            {
                Assert.Equal(data[((y + 60) * 200) + x + 40], part[(y * 50) + x]);
            }
        }

        // Measured on the chip's own grid (no drizzle), every star's aperture sum is its flux.
        (double rms, double max) = field.Measure(data, Enumerable.Repeat(1f, data.Length).ToArray(), chip.Wcs, 200, 0.05);
        Assert.InRange(max, 0, 1e-4);
        Assert.InRange(rms, 0, max);

        // A star with a zero-weight pixel in its aperture is left out; with every star out there is no figure.
        (double rmsNone, double maxNone) = field.Measure(data, new float[data.Length], chip.Wcs, 200, 0.05);
        Assert.True(double.IsNaN(rmsNone) && double.IsNaN(maxNone));
    }

    [Fact]
    public void Advisor_point_source_errors_are_small_with_full_drops_and_grow_as_drops_shrink()
    {
        // Four exposures offset by whole pixels in RA and Dec (the chips are rotated by 20°, so their pixel phases on
        // the north-up grid still differ): with full drops at the native scale the stars keep their flux; with small
        // drops on a finer grid they do not.
        var exposures = Dithered([0, 3, 0, 3], [0, 0, 5, 5]);
        DrizzleAdvice a = DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 5, NumCores = 1 });
        Assert.All(a.Trials, t => Assert.True(double.IsFinite(t.PointSourceMax) && t.PointSourceRms <= t.PointSourceMax));
        AdviceTrial full = a.Trials.Single(t => t.ScaleArcsec == a.NativeScale && t.Pixfrac == 1.0);
        Assert.InRange(full.PointSourceMax, 0, 0.002);
        AdviceTrial small = a.Trials.Single(t => t.ScaleArcsec == a.NativeScale * 0.5 && t.Pixfrac == 0.3);
        Assert.True(small.PointSourceMax > 10 * full.PointSourceMax, $"{small.PointSourceMax} vs {full.PointSourceMax}");
    }

    [Fact]
    public void Advisor_with_a_point_source_bound_never_recommends_a_trial_that_breaks_it()
    {
        var exposures = Dithered([0, 0.5, 0, 0.5], [0, 0, 0.5, 0.5]);
        var loose = DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 5, NumCores = 1 });
        var strict = DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 5, NumCores = 1, MaxPointSourceError = 0.002 });
        AdviceTrial chosen = strict.Trials.Single(t => t.ScaleArcsec == strict.FinalScale && t.Pixfrac == strict.FinalPixfrac);
        Assert.True(chosen.PointSourceMax <= 0.002 || strict.Reason.StartsWith("no trial", StringComparison.Ordinal), strict.Reason);
        Assert.Contains("point sources within 0.2%", strict.Reason, StringComparison.Ordinal);
        Assert.True(strict.FinalScale >= loose.FinalScale);
        Assert.Throws<CombineException>(() => DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PsfFwhm = 0 }));
        Assert.Throws<CombineException>(() => DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { MaxPointSourceError = -1 }));
    }

    [Fact]
    public void Advisor_trials_are_identical_on_one_and_two_threads()
    {
        var exposures = Dithered([0, 0.5, 0.25], [0, 0.25, 0.5]);
        DrizzleAdvice one = DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 5, NumCores = 1 });
        DrizzleAdvice two = DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 5, NumCores = 2 });
        Assert.Equal(one.Trials, two.Trials);
        Assert.Equal(one.Reason, two.Reason);
    }

    [Fact]
    public void Patch_box_is_null_or_at_least_two_pixels_wide_wherever_the_chip_lies()
    {
        // A chip slid across the patch's edge: near the edge the padded box could shrink to one column, which the
        // square kernel refuses; such a chip is skipped instead.
        Exposure first = CombineStepTests.Synthetic("a", 150, 2, w: 200, h: 200);
        (double ra, double dec) = first.Chips[0].Wcs.PixelToWorld(99.5, 99.5);
        FitsWcs frame = FitsWcs.CreateTan(ra, dec, 1, 1, 1.0, 0);
        int seen = 0;
        for (double d = 0; d < 14; d += 0.05)
        {
            Chip chip = CombineStepTests.Synthetic("b", 150 + (d / 3600 / Math.Cos(2 * Math.PI / 180)), 2, w: 200, h: 200).Chips[0];
            if (DrizzleAdvisor.PatchBox(chip, frame, 2.7) is { } box)
            {
                Assert.True(box.Width >= 2 && box.Height >= 2, $"{d}: {box}");
                Assert.InRange(box.X0 + box.Width, 2, 200);
                Assert.InRange(box.Y0 + box.Height, 2, 200);
                seen++;
            }
        }

        Assert.InRange(seen, 1, 279); // some positions reach the patch, some do not
    }

    [Fact]
    public void Advisor_refuses_a_psf_too_small_to_integrate_or_too_large_for_the_patch()
    {
        var exposures = Dithered([0, 0.5], [0, 0.5]);
        Assert.Contains("at least 0.5", Assert.Throws<CombineException>(() => DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PsfFwhm = 0.4 })).Message, StringComparison.Ordinal);
        Assert.Contains("does not fit", Assert.Throws<CombineException>(() =>
            DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 2, PsfFwhm = 4 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Advisor_falls_back_to_the_most_uniform_measured_trial_when_none_qualifies()
    {
        // One exposure on a grid five times finer with tiny drops: holes everywhere, nothing qualifies.
        var exposures = Dithered([0], [0]);
        DrizzleAdvice a = DrizzleAdvisor.Advise(exposures, new DrizzleAdvisorOptions { PatchArcsec = 3, Scales = [0.01], Pixfracs = [0.1, 0.2, 0.3], NumCores = 1 });
        Assert.StartsWith("no trial met", a.Reason, StringComparison.Ordinal);
        AdviceTrial chosen = a.Trials.Single(t => t.Pixfrac == a.FinalPixfrac);
        double best = a.Trials.Where(t => double.IsFinite(t.RmsOverMedian)).Select(t => t.RmsOverMedian).DefaultIfEmpty(double.NaN).Min();
        Assert.True(double.IsNaN(best) || chosen.RmsOverMedian == best, a.Reason);
    }
}
