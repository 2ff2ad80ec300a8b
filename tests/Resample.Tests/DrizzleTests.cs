namespace TweakDrizzle.Resample.Tests;

public class DrizzleTests
{
    private static float[] RandomImage(int nx, int ny, int seed, float lo = 1f, float hi = 100f)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, nx * ny).Select(_ => lo + ((hi - lo) * (float)r.NextDouble()))];
    }

    /// <summary>Rotation by <paramref name="deg"/> and scale 1/<paramref name="psr"/> about the input centre, then a shift.</summary>
    private static Pixmap Rotated(int nx, int ny, double deg, double psr, double x0, double y0)
    {
        var x = new double[nx * ny];
        var y = new double[nx * ny];
        double c = Math.Cos(deg * Math.PI / 180), s = Math.Sin(deg * Math.PI / 180);
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                double u = i - ((nx - 1) / 2.0), v = j - ((ny - 1) / 2.0);
                x[(j * nx) + i] = x0 + (((c * u) - (s * v)) / psr);
                y[(j * nx) + i] = y0 + (((s * u) + (c * v)) / psr);
            }
        }

        return new Pixmap(nx, ny, x, y);
    }

    private static Pixmap Shifted(int nx, int ny, double dx, double dy)
    {
        Pixmap id = Pixmap.Identity(nx, ny);
        return new Pixmap(nx, ny, [.. id.X.Select(v => v + dx)], [.. id.Y.Select(v => v + dy)]);
    }

    private static (double Out, double In) Flux(Drizzle d, float[] data, float[] wht, double iscale)
    {
        double fin = 0, fout = 0;
        for (int k = 0; k < data.Length; k++)
        {
            fin += (double)data[k] * wht[k] * iscale;
        }

        for (int k = 0; k < d.OutImg!.Length; k++)
        {
            if (d.OutWht![k] != 0)
            {
                fout += (double)d.OutImg[k] * d.OutWht[k];
            }
        }

        return (fout, fin);
    }

    [Theory]
    [InlineData(DrizzleKernel.Square, 0.8)]
    [InlineData(DrizzleKernel.Square, 1.0)]
    [InlineData(DrizzleKernel.Turbo, 0.7)]
    [InlineData(DrizzleKernel.Point, 1.0)]
    public void Flux_is_conserved_when_the_input_lies_inside(DrizzleKernel kernel, double pixfrac)
    {
        const int nx = 70, ny = 150;
        float[] data = RandomImage(nx, ny, 1);
        float[] wht = RandomImage(nx, ny, 2, 0.5f, 1.5f);
        var d = new Drizzle(new DrizzleOptions { Kernel = kernel, OutputWidth = 330, OutputHeight = 330, MaxDegreeOfParallelism = 2 });
        d.AddImage(new DrizzleInput
        {
            Data = data,
            WeightMap = wht,
            Exptime = 1,
            Pixmap = Rotated(nx, ny, 23, 0.6, 165, 165),
            Pixfrac = pixfrac,
            Iscale = 0.36,
            PixelScaleRatio = 0.6,
        });
        (double fout, double fin) = Flux(d, data, wht, 0.36);
        Assert.True(Math.Abs(fout - fin) <= 1e-6 * fin, $"{fout} vs {fin}");
    }

    [Fact]
    public void A_pixel_straddling_the_frame_edge_deposits_exactly_its_inside_fraction()
    {
        // 4x3 input shifted by (-0.7, +0.25): column 0 covers x in [-1.2, -0.2]; 0.3 of it is inside [-0.5, ...].
        // Row 2 covers y in [1.75, 2.75]; the 3-row output ends at 2.5, so 0.75 of it is inside.
        const int nx = 4, ny = 3;
        float[] data = [.. Enumerable.Range(1, nx * ny).Select(v => (float)v)];
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = 6, OutputHeight = 3 });
        AddImageResult r = d.AddImage(data, 1.0, Shifted(nx, ny, -0.7, 0.25));
        double expectedWht = 0, expectedFlux = 0;
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                double fx = i == 0 ? 0.3 : 1.0;
                double fy = j == ny - 1 ? 0.75 : 1.0;
                expectedWht += fx * fy;
                expectedFlux += fx * fy * data[(j * nx) + i];
            }
        }

        double wsum = d.OutWht!.Sum(v => (double)v);
        (double fout, _) = Flux(d, data, [.. data.Select(_ => 1f)], 1.0);
        Assert.Equal(expectedWht, wsum, 5);
        Assert.True(Math.Abs(fout - expectedFlux) <= 1e-6 * expectedFlux, $"{fout} vs {expectedFlux}");
        Assert.Equal(0, r.Nmiss);
    }

    [Theory]
    [InlineData(DrizzleKernel.Square)]
    [InlineData(DrizzleKernel.Turbo)]
    [InlineData(DrizzleKernel.Point)]
    [InlineData(DrizzleKernel.Gaussian)]
    [InlineData(DrizzleKernel.Lanczos3)]
    public void Results_are_bit_identical_for_one_or_many_threads(DrizzleKernel kernel)
    {
        const int nx = 120, ny = 300;
        float[] data = RandomImage(nx, ny, 5);
        Pixmap map = Rotated(nx, ny, 30, 0.5, 330, 330);
        Drizzle Run(int threads)
        {
            var d = new Drizzle(new DrizzleOptions { Kernel = kernel, OutputWidth = 660, OutputHeight = 660, MaxDegreeOfParallelism = threads });
            d.AddImage(new DrizzleInput { Data = data, Exptime = 1, Pixmap = map, Pixfrac = 0.8, PixelScaleRatio = 0.5, Iscale = 0.25 });
            d.AddImage(new DrizzleInput { Data = data, Exptime = 1, Pixmap = Rotated(nx, ny, 31, 0.5, 331.3, 329.6), Pixfrac = 0.8, PixelScaleRatio = 0.5 });
            Assert.Equal(threads > 1, d.LastRunWasParallel);
            return d;
        }

        Drizzle one = Run(1), many = Run(4);
        Assert.True(one.OutImg.AsSpan().SequenceEqual(many.OutImg));
        Assert.True(one.OutWht.AsSpan().SequenceEqual(many.OutWht));
        Assert.True(one.OutCtx[0].AsSpan().SequenceEqual(many.OutCtx[0]));
        Assert.True(one.OutWht!.Count(v => v > 0) > 50000);
    }

    [Fact]
    public void Nmiss_and_nskip_count_pixels_and_rows_that_land_nowhere()
    {
        // 20x10 input shifted by +10 px in x onto a 25x8 output: columns 15..19 (x+10 >= 24.5) and rows 8, 9 miss.
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Point, OutputWidth = 25, OutputHeight = 8 });
        AddImageResult r = d.AddImage(RandomImage(20, 10, 3), 1, Shifted(20, 10, 10, 0));
        Assert.Equal((5 * 8) + (2 * 20), r.Nmiss);
        Assert.Equal(2, r.Nskip);
    }

    [Fact]
    public void An_inferred_output_shape_is_not_transposed()
    {
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Point });
        d.AddImage(RandomImage(30, 10, 4), 1, Shifted(30, 10, 5, 7));
        Assert.Equal(30, d.OutputWidth);
        Assert.Equal(10, d.OutputHeight);
        Assert.Equal(5, d.OriginX);
        Assert.Equal(7, d.OriginY);
        Assert.DoesNotContain(d.OutWht!, v => v == 0);
    }

    [Fact]
    public void A_null_pixel_scale_ratio_is_estimated_as_the_documented_ratio()
    {
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Turbo, OutputWidth = 200, OutputHeight = 200 });
        AddImageResult r = d.AddImage(new DrizzleInput
        {
            Data = RandomImage(40, 40, 9),
            Exptime = 1,
            Pixmap = Rotated(40, 40, 17, 0.5, 100, 100),
            PixelScaleRatio = null,
        });
        Assert.Equal(0.5, r.PixelScaleRatio, 6);
        Assert.Equal(0.5, Drizzle.EstimatePixelScaleRatio(Rotated(40, 40, 17, 0.5, 100, 100), 0, 39, 0, 39), 12);
    }

    [Fact]
    public void Tiny_pixfrac_falls_back_to_the_point_kernel()
    {
        float[] data = RandomImage(8, 8, 11);
        Pixmap map = Shifted(8, 8, 0.2, -0.1);
        var sq = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = 8, OutputHeight = 8 });
        sq.AddImage(new DrizzleInput { Data = data, Exptime = 1, Pixmap = map, Pixfrac = 0.0005 });
        var pt = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Point, OutputWidth = 8, OutputHeight = 8 });
        pt.AddImage(new DrizzleInput { Data = data, Exptime = 1, Pixmap = map });
        Assert.Equal(pt.OutImg, sq.OutImg);
        Assert.Equal(pt.OutWht, sq.OutWht);
    }

    [Fact]
    public void Context_planes_grow_and_decode()
    {
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Point, OutputWidth = 4, OutputHeight = 4 });
        float[] data = RandomImage(4, 4, 1);
        for (int k = 0; k < 33; k++)
        {
            d.AddImage(data, 1, k == 5 ? Shifted(4, 4, 10, 10) : Pixmap.Identity(4, 4));
        }

        Assert.Equal(2, d.OutCtx.Count);
        Assert.Equal(33, d.CtxId);
        Assert.Equal(33.0, d.TotalExptime);
        IReadOnlyList<int> ids = Drizzle.DecodeContext(d.OutCtx, 4, 1, 2);
        Assert.Equal([.. Enumerable.Range(0, 33).Where(k => k != 5)], ids);
    }

    [Fact]
    public void Zero_weights_and_nan_data_do_not_poison_and_set_no_context()
    {
        float[] data = RandomImage(5, 5, 2);
        float[] wht = [.. Enumerable.Repeat(1f, 25)];
        data[12] = float.NaN;
        wht[12] = 0;
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = 5, OutputHeight = 5, FillValue = FillValue.Of(-1) });
        d.AddImage(new DrizzleInput { Data = data, WeightMap = wht, Exptime = 1, Pixmap = Pixmap.Identity(5, 5) });
        Assert.Equal(-1f, d.OutImg![12]);
        Assert.Equal(0f, d.OutWht![12]);
        Assert.Equal(0, d.OutCtx[0][12]);
        Assert.DoesNotContain(d.OutImg, float.IsNaN);
    }

    public static TheoryData<string> BadInputs() =>
    [
        "data length", "weight length", "dq length", "data2 length", "negative exptime", "zero exptime", "nan pixmap",
        "bad bbox", "negative pixfrac", "zero psr",
    ];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_throws_and_leaves_the_outputs_untouched(string what)
    {
        var d = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = 6, OutputHeight = 6, FillValue = FillValue.Of(0) });
        d.AddImage(RandomImage(6, 6, 1), 1, Pixmap.Identity(6, 6));
        float[] img = [.. d.OutImg!];
        float[] wht = [.. d.OutWht!];
        int[] ctx = [.. d.OutCtx[0]];
        var good = new DrizzleInput { Data = RandomImage(6, 6, 2), Exptime = 1, Pixmap = Shifted(6, 6, 0.3, 0.2) };
        var nanMap = new Pixmap(6, 6, [.. Enumerable.Repeat(double.NaN, 36)], [.. Enumerable.Repeat(double.NaN, 36)]);
        DrizzleInput bad = what switch
        {
            "data length" => good with { Data = new float[35] },
            "weight length" => good with { WeightMap = new float[30] },
            "dq length" => good with { Dq = new uint[37] },
            "data2 length" => good with { Data2 = [new float[5]] },
            "negative exptime" => good with { Exptime = -1 },
            "zero exptime" => good with { Exptime = 0 },
            "nan pixmap" => good with { Pixmap = nanMap },
            "bad bbox" => good with { Xmin = 4, Xmax = 2 },
            "negative pixfrac" => good with { Pixfrac = -0.5 },
            _ => good with { PixelScaleRatio = 0 },
        };
        Assert.Throws<ResampleException>(() => d.AddImage(bad));
        Assert.Equal(img, d.OutImg);
        Assert.Equal(wht, d.OutWht);
        Assert.Equal(ctx, d.OutCtx[0]);
        Assert.Equal(1, d.CtxId);
        Assert.Null(d.OutDq);
    }

    [Fact]
    public void Bad_options_throw()
    {
        Assert.Throws<ResampleException>(() => DrizzleKernels.Parse("tophat"));
        Assert.Throws<ResampleException>(() => new Drizzle(new DrizzleOptions { OutputWidth = 4, OutputHeight = 4, OutImg = new float[15], OutWht = new float[16] }));
        Assert.Throws<ResampleException>(() => new Drizzle(new DrizzleOptions { OutImg = new float[16] }));
        Assert.Throws<ResampleException>(() => new Drizzle(new DrizzleOptions { Exptime = -1 }));
        Assert.Throws<ResampleException>(() => new Drizzle(new DrizzleOptions { Exptime = 10, OutputWidth = 4, OutputHeight = 4 }));
        Assert.Throws<ResampleException>(() => new Drizzle(new DrizzleOptions { BeginCtxId = 5, MaxCtxId = 2 }));
        Assert.Throws<ResampleException>(() => FillValue.Parse("blue"));
    }

    [Fact]
    public void Caller_supplied_outputs_are_updated_in_place_and_a_window_matches_the_full_frame()
    {
        const int nx = 40, ny = 30;
        float[] data = RandomImage(nx, ny, 8);
        Pixmap map = Rotated(nx, ny, 12, 0.8, 30, 30);
        var full = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = 60, OutputHeight = 60, FillValue = FillValue.Of(0) });
        full.AddImage(new DrizzleInput { Data = data, Exptime = 1, Pixmap = map, Pixfrac = 0.7 });
        var img = new float[25 * 20];
        var wht = new float[25 * 20];
        var tile = new Drizzle(new DrizzleOptions
        {
            Kernel = DrizzleKernel.Square, OutputWidth = 25, OutputHeight = 20, OriginX = 20, OriginY = 30,
            OutImg = img, OutWht = wht, FillValue = FillValue.Of(0),
        });
        tile.AddImage(new DrizzleInput { Data = data, Exptime = 1, Pixmap = map, Pixfrac = 0.7 });
        Assert.Same(img, tile.OutImg);
        for (int j = 0; j < 20; j++)
        {
            for (int i = 0; i < 25; i++)
            {
                Assert.Equal(full.OutWht![((j + 30) * 60) + i + 20], wht[(j * 25) + i], 5);
                Assert.Equal(full.OutImg![((j + 30) * 60) + i + 20], img[(j * 25) + i], 3);
            }
        }
    }
}
