namespace TweakDrizzle.Resample.Tests;

/// <summary>
/// The vectorised kernel paths (AVX-512 row deposits, the square kernel's column coverage and 4x4 block deposit) must
/// give exactly the bits of the scalar code. The scalar path runs when a DQ array is given (DQ of zeros changes no
/// SCI/WHT/CTX value), so the two runs below compare the paths bit for bit wherever the hardware has the fast path.
/// </summary>
public class KernelPathTests
{
    private static Pixmap Distorted(int nx, int ny, double deg, double psr, double x0, double y0)
    {
        var x = new double[nx * ny];
        var y = new double[nx * ny];
        double c = Math.Cos(deg * Math.PI / 180), s = Math.Sin(deg * Math.PI / 180);
        double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0;
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                double u = (i - cx) / cx, v = (j - cy) / cy;
                double xd = i - cx + (3 * ((u * u) + (0.4 * u * v))), yd = j - cy + (3 * ((0.6 * v * v) - (0.5 * u * v)));
                x[(j * nx) + i] = x0 + (((c * xd) - (s * yd)) / psr);
                y[(j * nx) + i] = y0 + (((s * xd) + (c * yd)) / psr);
            }
        }

        return new Pixmap(nx, ny, x, y);
    }

    [Theory]
    [InlineData(DrizzleKernel.Square)]
    [InlineData(DrizzleKernel.Turbo)]
    [InlineData(DrizzleKernel.Gaussian)]
    [InlineData(DrizzleKernel.Lanczos2)]
    [InlineData(DrizzleKernel.Lanczos3)]
    [InlineData(DrizzleKernel.Point)]
    public void Vector_paths_give_the_bits_of_the_scalar_path(DrizzleKernel kernel)
    {
        const int nx = 90, ny = 70;
        var r = new Random(11);
        float[] data = [.. Enumerable.Range(0, nx * ny).Select(_ => (float)((r.NextDouble() * 200) - 20))];
        float[] wht = [.. Enumerable.Range(0, nx * ny).Select(k => k % 17 == 0 ? 0f : (float)(0.2 + r.NextDouble()))];
        var zeros = new uint[nx * ny];

        // Footprints of 1-3 px (x2 scale), 4-9 px (x4 scale, pixfrac 1) and frames that cut them at every edge.
        (Pixmap Map, double Psr, double Pixfrac)[] inputs =
        [
            (Distorted(nx, ny, 30, 0.5, 100, 95), 0.5, 0.8),
            (Distorted(nx, ny, -17, 0.25, 110, 100), 0.25, 1.0),
            (Distorted(nx, ny, 90, 0.7, 20, 180), 0.7, 0.6),
        ];

        Drizzle Run(bool scalar)
        {
            var d = new Drizzle(new DrizzleOptions { Kernel = kernel, OutputWidth = 203, OutputHeight = 190, MaxDegreeOfParallelism = 1 });
            foreach ((Pixmap map, double psr, double pixfrac) in inputs)
            {
                d.AddImage(new DrizzleInput
                {
                    Data = data, Exptime = 1, Pixmap = map, Pixfrac = pixfrac, PixelScaleRatio = psr, Iscale = psr * psr,
                    WeightMap = wht, Dq = scalar ? zeros : null,
                });
            }

            return d;
        }

        Drizzle fast = Run(false), slow = Run(true);
        Assert.True(fast.OutWht!.Count(v => v != 0) > 5000);
        Assert.True(fast.OutImg.AsSpan().SequenceEqual(slow.OutImg));
        Assert.True(fast.OutWht.AsSpan().SequenceEqual(slow.OutWht));
        Assert.True(fast.OutCtx[0].AsSpan().SequenceEqual(slow.OutCtx[0]));
    }

    [Fact]
    public void Column_coverage_gives_the_bits_of_the_per_pixel_boxer()
    {
        var r = new Random(3);
        var quads = new List<(double[] X, double[] Y)>
        {
            // Aligned with the pixel grid (edges and corners exactly on pixel boundaries), degenerate slivers.
            ([4.5, 5.5, 5.5, 4.5], [7.5, 7.5, 6.5, 6.5]),
            ([4.5, 6.5, 6.5, 4.5], [7.5, 7.5, 5.5, 5.5]),
            ([2.0, 3.0, 3.0, 2.0], [2.0, 2.0, 1.0, 1.0]),
            ([2.0, 2.0, 2.0, 2.0], [1.0, 2.5, 3.5, 1.5]),
            ([1.25, 3.75, 3.75, 1.25], [2.5, 2.5, 2.5, 2.5]),
        };
        for (int n = 0; n < 3000; n++)
        {
            double cx = 3 + (r.NextDouble() * 4), cy = 3 + (r.NextDouble() * 4), a = r.NextDouble() * 2 * Math.PI;
            double h = 0.2 + (r.NextDouble() * 1.6), skew = (r.NextDouble() - 0.5) * 0.6;
            var x = new double[4];
            var y = new double[4];
            (double U, double V)[] corners = [(-h, h), (h, h), (h, -h), (-h, -h)];
            for (int k = 0; k < 4; k++)
            {
                double u = corners[k].U + (skew * corners[k].V), v = corners[k].V;
                x[k] = cx + (Math.Cos(a) * u) - (Math.Sin(a) * v);
                y[k] = cy + (Math.Sin(a) * u) + (Math.Cos(a) * v);
            }

            if (n % 2 == 1)
            {
                // Clockwise corners: negative orientation.
                (x[1], x[3]) = (x[3], x[1]);
                (y[1], y[3]) = (y[3], y[1]);
            }

            quads.Add((x, y));
        }

        var col = new double[12];
        var colVec = new double[12];
        foreach ((double[] x, double[] y) in quads)
        {
            var quad = new Boxer.Quad(x, y);
            for (int ii = 0; ii <= 11; ii++)
            {
                Boxer.Column(ii, 0, quad, col);
                Boxer.ColumnVector(ii, 0, quad, colVec);
                for (int jj0 = 0; jj0 < 12; jj0 += 4)
                {
                    var ys = new Boxer.RowsY(jj0, y);
                    System.Runtime.Intrinsics.Vector256<double> rows = Boxer.Rows4(ii, x, ys);
                    for (int k = 0; k < 4; k++)
                    {
                        double expected = Boxer.Area(ii, jj0 + k, x, y);
                        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(rows[k]));
                    }
                }

                for (int jj = 0; jj < 12; jj++)
                {
                    double expected = Boxer.Area(ii, jj, x, y);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(col[jj]));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(colVec[jj]));
                }
            }
        }
    }
}
