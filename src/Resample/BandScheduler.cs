namespace TweakDrizzle.Resample;

/// <summary>
/// The deterministic parallel decomposition: input rows are cut into fixed bands of <see cref="Drizzle.BandHeight"/>
/// rows; even bands run concurrently, then odd bands. The canonical order (even bands ascending, then odd bands
/// ascending) is the same whatever the thread count, and concurrent bands are first proven to touch disjoint output
/// pixels (conservatively, on strips of 16 output rows). If they might not be, the bands run one after the other in
/// the same canonical order, so the result never depends on the number of threads.
/// </summary>
internal static class BandScheduler
{
    private const int StripHeight = 16;
    private const int SampleStep = 8;

    public static (long Nmiss, long Nskip, bool Parallel) Run(KernelJob job, int threads)
    {
        int rows = job.Ymax - job.Ymin + 1;
        int nb = (rows + Drizzle.BandHeight - 1) / Drizzle.BandHeight;
        var nmiss = new long[nb];
        var nskip = new long[nb];
        var order = new List<int>(nb);
        for (int b = 0; b < nb; b += 2)
        {
            order.Add(b);
        }

        for (int b = 1; b < nb; b += 2)
        {
            order.Add(b);
        }

        void RunBand(int b)
        {
            int j0 = job.Ymin + (b * Drizzle.BandHeight);
            int j1 = Math.Min(j0 + Drizzle.BandHeight - 1, job.Ymax);
            job.RunRows(j0, j1, out nmiss[b], out nskip[b]);
        }

        bool parallel = threads > 1 && nb > 2 && BandsAreDisjoint(job, nb);
        if (!parallel)
        {
            foreach (int b in order)
            {
                RunBand(b);
            }
        }
        else
        {
            var po = new ParallelOptions { MaxDegreeOfParallelism = threads };
            int[] even = [.. order.Where(b => b % 2 == 0)];
            int[] odd = [.. order.Where(b => b % 2 == 1)];
            Parallel.For(0, even.Length, po, k => RunBand(even[k]));
            Parallel.For(0, odd.Length, po, k => RunBand(odd[k]));
        }

        return (nmiss.Sum(), nskip.Sum(), parallel);
    }

    /// <summary>Kernel reach beyond the mapped pixel centre, in output pixels, plus rounding margin.</summary>
    private static double Reach(KernelJob job)
    {
        double psr = job.Pscale;
        double pf = job.Pixfrac;
        return job.Kernel switch
        {
            DrizzleKernel.Turbo => (pf / psr / 2.0) + 1.5,
            DrizzleKernel.Gaussian => Math.Max(2.5 * pf / 2.3548 / psr, 1.2 / psr) + 1.5,
            DrizzleKernel.Lanczos2 => (2.0 / psr) + 1.5,
            DrizzleKernel.Lanczos3 => (3.0 / psr) + 1.5,
            _ => 1.5,
        };
    }

    private static bool BandsAreDisjoint(KernelJob job, int nb)
    {
        int strips = (job.Ony + StripHeight - 1) / StripHeight;
        var lo = new double[nb * strips];
        var hi = new double[nb * strips];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        double reach = Reach(job);
        for (int b = 0; b < nb; b++)
        {
            int j0 = job.Ymin + (b * Drizzle.BandHeight);
            int j1 = Math.Min(j0 + Drizzle.BandHeight - 1, job.Ymax);
            if (!MarkBand(job, j0, j1, reach, lo.AsSpan(b * strips, strips), hi.AsSpan(b * strips, strips)))
            {
                return false;
            }
        }

        for (int parity = 0; parity < 2; parity++)
        {
            for (int a = parity; a < nb; a += 2)
            {
                for (int c = a + 2; c < nb; c += 2)
                {
                    for (int s = 0; s < strips; s++)
                    {
                        int ka = (a * strips) + s, kc = (c * strips) + s;
                        if (lo[ka] <= hi[kc] && lo[kc] <= hi[ka])
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Marks, per strip of output rows, the x span a band may touch. False if the band cannot be bounded.</summary>
    private static bool MarkBand(KernelJob job, int j0, int j1, double reach, Span<double> lo, Span<double> hi)
    {
        Pixmap map = job.Map;
        int nx = map.Width;
        int jStart = Math.Max(j0 - 1, 0);
        int jEnd = Math.Min(j1 + 1, map.Height - 1);
        int iStart = Math.Max(job.Xmin - 1, 0);
        int iEnd = Math.Min(job.Xmax + 1, nx - 1);
        for (int ja = jStart; ja <= jEnd; ja += SampleStep)
        {
            int jb = Math.Min(ja + SampleStep, jEnd);
            for (int ia = iStart; ia <= iEnd; ia += SampleStep)
            {
                int ib = Math.Min(ia + SampleStep, iEnd);
                double minx = double.PositiveInfinity, maxx = double.NegativeInfinity;
                double miny = double.PositiveInfinity, maxy = double.NegativeInfinity;
                double step = 0;
                bool allValid = true;
                ReadOnlySpan<(int I, int J)> corners = [(ia, ja), (ib, ja), (ia, jb), (ib, jb)];
                foreach ((int ci, int cj) in corners)
                {
                    long k = ((long)cj * nx) + ci;
                    double x = map.X[k], y = map.Y[k];
                    if (double.IsNaN(x) || double.IsNaN(y))
                    {
                        allValid = false;
                        break;
                    }

                    minx = Math.Min(minx, x);
                    maxx = Math.Max(maxx, x);
                    miny = Math.Min(miny, y);
                    maxy = Math.Max(maxy, y);
                }

                int span = Math.Max(Math.Max(ib - ia, jb - ja), 1);
                if (allValid)
                {
                    step = Math.Max(maxx - minx, maxy - miny) / span;
                }
                else
                {
                    // Some corner is unmapped: bound the block from every pixel in it.
                    minx = miny = double.PositiveInfinity;
                    maxx = maxy = double.NegativeInfinity;
                    for (int j = ja; j <= jb; j++)
                    {
                        double px = double.NaN, py = double.NaN;
                        for (int i = ia; i <= ib; i++)
                        {
                            long k = ((long)j * nx) + i;
                            double x = map.X[k], y = map.Y[k];
                            if (double.IsNaN(x) || double.IsNaN(y))
                            {
                                px = py = double.NaN;
                                continue;
                            }

                            if (!double.IsNaN(px))
                            {
                                step = Math.Max(step, Math.Max(Math.Abs(x - px), Math.Abs(y - py)));
                            }

                            if (j > ja)
                            {
                                long ku = k - nx;
                                if (!double.IsNaN(map.X[ku]) && !double.IsNaN(map.Y[ku]))
                                {
                                    step = Math.Max(step, Math.Max(Math.Abs(x - map.X[ku]), Math.Abs(y - map.Y[ku])));
                                }
                            }

                            px = x;
                            py = y;
                            minx = Math.Min(minx, x);
                            maxx = Math.Max(maxx, x);
                            miny = Math.Min(miny, y);
                            maxy = Math.Max(maxy, y);
                        }
                    }

                    if (double.IsInfinity(minx))
                    {
                        continue;
                    }

                    if (step == 0 && (maxx > minx || maxy > miny))
                    {
                        return false;
                    }

                    step = Math.Max(step, 1.0);
                }

                if (!double.IsFinite(step) || !double.IsFinite(minx) || !double.IsFinite(maxx)
                    || !double.IsFinite(miny) || !double.IsFinite(maxy))
                {
                    return false;
                }

                // A pixel reaches up to ~0.71 input px beyond its centre; allow for curvature between samples.
                double m = reach + (1.5 * step) + (0.05 * Math.Max(maxx - minx, maxy - miny)) + 1.0;
                double bx0 = minx - job.X0 - m, bx1 = maxx - job.X0 + m;
                double by0 = miny - job.Y0 - m, by1 = maxy - job.Y0 + m;
                if (by1 < 0 || by0 > job.Ony || bx1 < 0 || bx0 > job.Onx)
                {
                    continue;
                }

                int s0 = (int)Math.Max(Math.Floor(by0 / StripHeight), 0);
                int s1 = (int)Math.Min(Math.Floor(by1 / StripHeight), lo.Length - 1);
                for (int s = s0; s <= s1; s++)
                {
                    lo[s] = Math.Min(lo[s], bx0);
                    hi[s] = Math.Max(hi[s], bx1);
                }

                if (ib == iEnd)
                {
                    break;
                }
            }

            if (jb == jEnd)
            {
                break;
            }
        }

        return true;
    }
}
