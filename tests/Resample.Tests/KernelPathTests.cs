namespace TweakDrizzle.Resample.Tests;

/// <summary>
/// The vectorised kernel paths (AVX-512 row deposits, the square kernel's 4x4 block deposit) must give exactly the
/// bits of the scalar code. The scalar path runs when a DQ array is given (DQ of zeros changes no SCI/WHT/CTX value),
/// so the two runs below compare the paths bit for bit wherever the hardware has the fast path. The square kernel's
/// overlaps themselves (one routine for both paths) are checked against exact rational polygon clipping.
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
    public void Square_coverage_matches_exact_rational_clipping()
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
            ([3.5, 4.5, 4.5, 3.5], [4.5, 4.5, 3.5 + 1e-13, 3.5]),
            ([2.5, 5.5, 4.5, 1.5], [6.5, 6.5, 3.5, 3.5]),

            // Slanted edges through pixel corners: the cells they only touch at a corner must get exactly 0.
            ([5.5, 6.5, 5.5, 4.5], [6.5, 5.5, 4.5, 5.5]),
            ([2.5, 3.5, 6.5, 5.5], [2.5, 5.5, 6.5, 3.5]),
            ([2.5, 5.5, 5.5, 2.5], [3.5, 6.5, 6.5, 3.5]),
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

        const int size = 12;
        var rows = new System.Runtime.Intrinsics.Vector256<double>[size];
        double worst = 0;
        int empty = 0, partial = 0;
        foreach ((double[] x, double[] y) in quads)
        {
            // Local frame with output pixel (0, 0)'s lower left corner at the origin, as the kernel uses it.
            var quad = new Boxer.Quad(System.Runtime.Intrinsics.Vector256.Create(x), System.Runtime.Intrinsics.Vector256.Create(y), -0.5, -0.5);
            ExactQuad exact = ExactQuad.Of(x, y);

            // The quadrilaterals lie well inside the 12x12 grid, so both ways of getting the first and last row
            // boundaries apply.
            foreach (bool rowsWhole in new[] { false, true })
            {
                double sum = 0;
                for (int c0 = 0; c0 < size; c0 += Boxer.Lanes)
                {
                    quad.Coverage(c0, size, size, rowsWhole, rows);
                    for (int jj = 0; jj < size; jj++)
                    {
                        for (int c = 0; c < Boxer.Lanes; c++)
                        {
                            double actual = rows[jj][c];
                            double expected = exact.Overlap(c0 + c, jj);
                            sum += actual;
                            if (expected == 0)
                            {
                                // Cells the quadrilateral does not reach (or only touches) get exactly 0, as in
                                // sgarea: no weight, no context bit.
                                Assert.Equal(0.0, actual);
                                empty++;
                            }
                            else
                            {
                                worst = Math.Max(worst, Math.Abs(actual - expected));
                                Assert.True(Math.Abs(actual - expected) <= 1e-13, $"cell ({c0 + c},{jj}): {actual:R} vs exact {expected:R}");
                                partial++;
                            }
                        }
                    }
                }

                // The overlaps add up to the quadrilateral's signed area (flux conservation).
                Assert.True(Math.Abs(sum - exact.Area) <= 1e-12, $"sum {sum:R} vs area {exact.Area:R}");
            }
        }

        Assert.True(worst > 0 && partial > 40000 && empty > 200000, $"worst {worst}, {partial} partial, {empty} empty cells");
    }

    [Fact]
    public void Square_coverage_masks_columns_beyond_the_footprint()
    {
        // A quadrilateral reaching 6 columns (clockwise: positive overlaps), footprint cut to 3 (the frame's right edge):
        // lanes 3.. are 0.
        var quad = new Boxer.Quad(System.Runtime.Intrinsics.Vector256.Create(0.2, 5.8, 5.8, 0.2), System.Runtime.Intrinsics.Vector256.Create(1.5, 1.5, 0.5, 0.5), 0, 0);
        var rows = new System.Runtime.Intrinsics.Vector256<double>[2];
        quad.Coverage(0, 3, 2, rowsWhole: false, rows);
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(0.4, rows[r][0], 1e-15);
            Assert.Equal(0.5, rows[r][1], 1e-15);
            Assert.Equal(0.5, rows[r][2], 1e-15);
            Assert.Equal(0.0, rows[r][3]);
        }
    }

    /// <summary>A quadrilateral with exact rational corners; overlaps by Sutherland–Hodgman clipping in rationals.</summary>
    private sealed class ExactQuad
    {
        private readonly Rational[] xs;
        private readonly Rational[] ys;

        private ExactQuad(Rational[] xs, Rational[] ys)
        {
            this.xs = xs;
            this.ys = ys;
            Area = (double)Shoelace([.. xs.Zip(ys)]);
        }

        public double Area { get; }

        public static ExactQuad Of(double[] x, double[] y) => new([.. x.Select(Rational.Of)], [.. y.Select(Rational.Of)]);

        /// <summary>Signed overlap with output pixel (ii, jj) = [ii-0.5, ii+0.5] x [jj-0.5, jj+0.5].</summary>
        public double Overlap(int ii, int jj)
        {
            var half = new Rational(1, 2);
            List<(Rational X, Rational Y)> poly = [.. xs.Zip(ys)];
            poly = Clip(poly, p => p.X - (new Rational(ii, 1) - half));
            poly = Clip(poly, p => (new Rational(ii, 1) + half) - p.X);
            poly = Clip(poly, p => p.Y - (new Rational(jj, 1) - half));
            poly = Clip(poly, p => (new Rational(jj, 1) + half) - p.Y);
            return (double)Shoelace(poly);
        }

        /// <summary>Keeps the part where <paramref name="inside"/> (an affine function of x or y) is >= 0.</summary>
        private static List<(Rational X, Rational Y)> Clip(List<(Rational X, Rational Y)> poly, Func<(Rational X, Rational Y), Rational> inside)
        {
            var result = new List<(Rational X, Rational Y)>();
            for (int k = 0; k < poly.Count; k++)
            {
                (Rational X, Rational Y) p = poly[k], q = poly[(k + 1) % poly.Count];
                Rational fp = inside(p), fq = inside(q);
                if (fp.Sign >= 0)
                {
                    result.Add(p);
                }

                if ((fp.Sign > 0 && fq.Sign < 0) || (fp.Sign < 0 && fq.Sign > 0))
                {
                    Rational t = fp / (fp - fq);
                    result.Add((p.X + (t * (q.X - p.X)), p.Y + (t * (q.Y - p.Y))));
                }
            }

            return result;
        }

        private static Rational Shoelace(List<(Rational X, Rational Y)> poly)
        {
            var twice = new Rational(0, 1);
            for (int k = 0; k < poly.Count; k++)
            {
                (Rational X, Rational Y) p = poly[k], q = poly[(k + 1) % poly.Count];
                twice += (p.X * q.Y) - (q.X * p.Y);
            }

            // Drizzle's sign convention (boxer's and the Jacobian's): positive for corners running clockwise with y up,
            // the opposite of the shoelace formula's.
            return twice * new Rational(-1, 2);
        }
    }

    /// <summary>Exact rational number (for the reference only).</summary>
    private readonly record struct Rational
    {
        public Rational(System.Numerics.BigInteger num, System.Numerics.BigInteger den)
        {
            if (den.Sign < 0)
            {
                num = -num;
                den = -den;
            }

            System.Numerics.BigInteger g = System.Numerics.BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsZero && !g.IsOne)
            {
                num /= g;
                den /= g;
            }

            Num = num;
            Den = den;
        }

        public System.Numerics.BigInteger Num { get; }

        public System.Numerics.BigInteger Den { get; }

        public int Sign => Num.Sign;

        /// <summary>The exact value of a finite double.</summary>
        public static Rational Of(double v)
        {
            long bits = BitConverter.DoubleToInt64Bits(v);
            int exp = (int)((bits >> 52) & 0x7FF);
            long mant = bits & 0xFFFFFFFFFFFFFL;
            if (exp == 0)
            {
                exp = 1;
            }
            else
            {
                mant |= 1L << 52;
            }

            exp -= 1075;
            System.Numerics.BigInteger n = v < 0 ? -mant : mant;
            return exp >= 0 ? new Rational(n << exp, 1) : new Rational(n, System.Numerics.BigInteger.One << -exp);
        }

        public static Rational operator +(Rational a, Rational b) => new((a.Num * b.Den) + (b.Num * a.Den), a.Den * b.Den);

        public static Rational operator -(Rational a, Rational b) => new((a.Num * b.Den) - (b.Num * a.Den), a.Den * b.Den);

        public static Rational operator *(Rational a, Rational b) => new(a.Num * b.Num, a.Den * b.Den);

        public static Rational operator /(Rational a, Rational b) => new(a.Num * b.Den, a.Den * b.Num);

        public static explicit operator double(Rational a)
        {
            if (a.Num.IsZero)
            {
                return 0.0;
            }

            // Scale so that the integer quotient carries > 64 significant bits, then divide.
            long shift = Math.Max(0, 80 - (long)(a.Num.GetBitLength() - a.Den.GetBitLength()));
            System.Numerics.BigInteger q = (a.Num << (int)shift) / a.Den;
            return (double)q / Math.Pow(2, shift);
        }
    }
}
