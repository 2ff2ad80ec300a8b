namespace TweakDrizzle.Simulation;

/// <summary>Renders one chip of one exposure: sources, sky, defects, saturation, cosmic rays and noise.</summary>
internal static class ChipRenderer
{
    private const double CosmicRayMaskLevel = 1.0;
    private const int ColumnStrip = 64;

    public static SimulatedChip Render(Simulator sim, ExposureGeometry g, int chipIndex)
    {
        SimulationOptions opt = sim.Options;
        DetectorModel det = opt.Detector;
        int nx = det.ChipWidth, ny = det.ChipHeight;
        double t = g.ExposureTime;
        FilterSpec filter = g.Filter;
        TanSipModel wcs = g.TrueWcs[chipIndex];
        var chip = new SimulatedChip(chipIndex + 1, det.ChipCount - chipIndex, nx, ny)
        {
            HeaderWcs = g.HeaderWcs[chipIndex],
            TrueWcs = wcs,
        };

        var par = new ParallelOptions { MaxDegreeOfParallelism = opt.MaxDegreeOfParallelism };
        List<Item> items = Project(sim, wcs, filter, t, nx, ny);
        var img = new double[nx * ny];
        int nBands = (ny + Simulator.BandHeight - 1) / Simulator.BandHeight;
        List<int>[] buckets = Bucket(items, nBands);
        double sky = filter.SkyRate * t;
        PsfModel psf = filter.Psf;

        Parallel.For(0, nBands, par, b =>
        {
            int r0 = b * Simulator.BandHeight, r1 = Math.Min(ny, r0 + Simulator.BandHeight) - 1;
            Array.Fill(img, sky, r0 * nx, (r1 - r0 + 1) * nx);
            foreach (int k in buckets[b])
            {
                Item it = items[k];
                int y0 = Math.Max(it.Y0, r0), y1 = Math.Min(it.Y1, r1);
                if (it.Stamp is null)
                {
                    psf.AddTo(img, nx, 0, ny, it.X, it.Y, it.Flux, it.X0, it.X1, y0, y1);
                }
                else
                {
                    AddStamp(img, nx, it, y0, y1);
                }
            }
        });

        short[] dq = chip.Dq;
        if (opt.HotPixels)
        {
            chip.HotPixels = AddHotPixels(opt, chipIndex, img, dq, nx, ny, t);
        }

        if (opt.BadColumns)
        {
            ApplyBadColumns(opt, chipIndex, img, dq, nx, ny, t);
        }

        if (opt.Saturation)
        {
            chip.SaturatedPixels = Bleed(img, dq, nx, ny, det.FullWell, par);
        }

        float[] cr = chip.CosmicRayCharge;
        if (opt.CosmicRays)
        {
            (chip.CosmicRayEvents, chip.CosmicRayPixels) = AddCosmicRays(opt, g.Index, chipIndex, cr, chip.CosmicRayMask, nx, ny, t);
        }

        double unit = opt.Units == OutputUnits.ElectronsPerSecond ? 1.0 / t : 1.0;
        double rn = det.ReadNoise;
        double rn2 = rn * rn;
        float[] sci = chip.Sci, err = chip.Err;
        Parallel.For(0, nBands, par, b =>
        {
            int r0 = b * Simulator.BandHeight, r1 = Math.Min(ny, r0 + Simulator.BandHeight);
            var rng = SimRandom.ForStream(opt.Seed, StreamIds.Noise, g.Index, chipIndex, b);
            for (int i = r0 * nx; i < r1 * nx; i++)
            {
                double e = img[i];
                double v = opt.Noise ? rng.NextPoisson(e) + (rn * rng.NextGaussian()) : e;
                v += cr[i];
                sci[i] = (float)(v * unit);
                err[i] = (float)(Math.Sqrt(Math.Max(v, 0) + rn2) * unit);
            }
        });

        var sources = new List<RenderedSource>();
        foreach (Item it in items)
        {
            if (it.X >= -0.5 && it.X < nx - 0.5 && it.Y >= -0.5 && it.Y < ny - 0.5)
            {
                int ix = (int)Math.Round(it.X), iy = (int)Math.Round(it.Y);
                ix = Math.Clamp(ix, 0, nx - 1);
                iy = Math.Clamp(iy, 0, ny - 1);
                bool saturated = (dq[(iy * nx) + ix] & SimulatedDq.Saturated) != 0;
                SkySource s = sim.Sky.Sources[it.SourceIndex];
                sources.Add(new RenderedSource(s.Id, s.Kind, it.X, it.Y, it.Flux, saturated));
            }
        }

        chip.Sources = sources;
        return chip;
    }

    /// <summary>The area on the sky of the pixel at (x, y): central differences on the tangent plane there.</summary>
    private static double PixelArea(TanSipModel wcs, double x, double y)
    {
        (double ra, double dec) = wcs.PixelToWorld(x, y);
        (double xr, double yr) = Plane(x + 0.5, y);
        (double xl, double yl) = Plane(x - 0.5, y);
        (double xu, double yu) = Plane(x, y + 0.5);
        (double xd, double yd) = Plane(x, y - 0.5);
        return Math.Abs(((xr - xl) * (yu - yd)) - ((yr - yl) * (xu - xd)));

        (double Xi, double Eta) Plane(double px, double py)
        {
            (double r, double d) = wcs.PixelToWorld(px, py);
            return SkyMath.Gnomonic(ra, dec, r, d);
        }
    }

    private static List<Item> Project(Simulator sim, TanSipModel wcs, FilterSpec filter, double t, int nx, int ny)
    {
        SimulationOptions opt = sim.Options;
        DetectorModel det = opt.Detector;
        PsfModel psf = filter.Psf;
        (double cra, double cdec) = wcs.PixelToWorld((nx - 1) / 2.0, (ny - 1) / 2.0);
        double reach = ((0.5 * Math.Sqrt(((double)nx * nx) + ((double)ny * ny))) + psf.MaxStampRadius + 64 + (2 * det.DistortionPixels)) * det.PixelScaleArcsec * 1.1 / 3600.0;
        var items = new List<Item>();
        double centreArea = PixelArea(wcs, (nx - 1) / 2.0, (ny - 1) / 2.0);
        IReadOnlyList<SkySource> sources = sim.Sky.Sources;
        for (int k = 0; k < sources.Count; k++)
        {
            SkySource s = sources[k];
            if (SkyMath.Separation(cra, cdec, s.Ra, s.Dec) > reach)
            {
                continue;
            }

            (double x, double y) = wcs.WorldToPixel(s.Ra, s.Dec);
            if (double.IsNaN(x))
            {
                continue;
            }

            // Flat-fielded data: a uniform sky gives every pixel the same count, so a source on a pixel that sees less
            // sky than the chip-centre pixel is scaled up by the ratio of the areas (HST's FLT/FLC images need the pixel
            // area map for photometry for this reason; drizzle, which weights by the true pixel areas, undoes it).
            double flux = s.RateIn(filter) * t * (centreArea / PixelArea(wcs, x, y));
            if (s.Kind == SourceKind.Star)
            {
                int r = psf.StampRadius(flux, opt.RenderFloor);
                var it = new Item(k, x, y, flux, (int)Math.Floor(x + 0.5) - r, (int)Math.Floor(x + 0.5) + r, (int)Math.Floor(y + 0.5) - r, (int)Math.Floor(y + 0.5) + r, null, 0, 0);
                if (it.X1 >= 0 && it.X0 < nx && it.Y1 >= 0 && it.Y0 < ny)
                {
                    items.Add(it with { X0 = Math.Max(it.X0, 0), X1 = Math.Min(it.X1, nx - 1) });
                }
            }
            else
            {
                Item? g = GalaxyStamp(k, s, wcs, x, y, flux, psf.Fwhm, det.PixelScaleArcsec, nx, ny);
                if (g is not null)
                {
                    items.Add(g.Value);
                }
            }
        }

        return items;
    }

    private static Item? GalaxyStamp(int k, SkySource s, TanSipModel wcs, double x, double y, double flux, double fwhm, double scale, int nx, int ny)
    {
        // Local Jacobian: pixels per arcsec east and north at the galaxy.
        (double rae, double dee) = SkyMath.InverseGnomonic(s.Ra, s.Dec, 1.0 / 3600.0, 0);
        (double ran, double den) = SkyMath.InverseGnomonic(s.Ra, s.Dec, 0, 1.0 / 3600.0);
        (double xe, double ye) = wcs.WorldToPixel(rae, dee);
        (double xn, double yn) = wcs.WorldToPixel(ran, den);
        double j11 = xe - x, j12 = xn - x, j21 = ye - y, j22 = yn - y;
        double det = (j11 * j22) - (j12 * j21);
        double k11 = j22 / det, k12 = -j12 / det, k21 = -j21 / det, k22 = j11 / det;

        double n = s.SersicIndex;
        double bn = (2 * n) - (1.0 / 3) + (4.0 / (405 * n));
        double re = s.EffectiveRadiusArcsec;
        double extent = (n >= 2 ? 8 : 5) * re;
        int r = (int)Math.Clamp(Math.Ceiling((extent / scale) + (3 * fwhm)), 4, 80);
        int cx = (int)Math.Floor(x + 0.5), cy = (int)Math.Floor(y + 0.5);
        int x0 = cx - r, x1 = cx + r, y0 = cy - r, y1 = cy + r;
        if (x1 < 0 || x0 >= nx || y1 < 0 || y0 >= ny)
        {
            return null;
        }

        double pa = s.PositionAngleDeg * Math.PI / 180;
        double ma = Math.Sin(pa), mb = Math.Cos(pa);
        double sig = fwhm * scale / 2.3548;
        double soft2 = sig * sig;
        double invQ = 1.0 / s.AxisRatio;
        int w = (2 * r) + 1;
        var stamp = new double[w * w];
        const int Sub = 3;
        double total = 0;
        for (int j = 0; j < w; j++)
        {
            for (int i = 0; i < w; i++)
            {
                double sum = 0;
                for (int b = 0; b < Sub; b++)
                {
                    double dy = y0 + j + ((b + 0.5) / Sub) - 0.5 - y;
                    for (int a = 0; a < Sub; a++)
                    {
                        double dx = x0 + i + ((a + 0.5) / Sub) - 0.5 - x;
                        double e = (k11 * dx) + (k12 * dy), nn = (k21 * dx) + (k22 * dy);
                        double along = (e * ma) + (nn * mb), across = ((e * mb) - (nn * ma)) * invQ;
                        double rr = Math.Sqrt((along * along) + (across * across) + soft2);
                        sum += Math.Exp(-bn * (Math.Pow(rr / re, 1.0 / n) - 1));
                    }
                }

                stamp[(j * w) + i] = sum;
                total += sum;
            }
        }

        double norm = flux / total;
        for (int i = 0; i < stamp.Length; i++)
        {
            stamp[i] *= norm;
        }

        return new Item(k, x, y, flux, Math.Max(x0, 0), Math.Min(x1, nx - 1), y0, y1, stamp, x0, w);
    }

    private static void AddStamp(double[] img, int nx, Item it, int y0, int y1)
    {
        double[] stamp = it.Stamp!;
        int w = it.StampWidth;
        for (int j = Math.Max(y0, 0); j <= y1; j++)
        {
            int srow = (j - it.Y0) * w;
            int row = j * nx;
            for (int i = it.X0; i <= it.X1; i++)
            {
                img[row + i] += stamp[srow + (i - it.StampX0)];
            }
        }
    }

    private static List<int>[] Bucket(List<Item> items, int nBands)
    {
        var buckets = new List<int>[nBands];
        for (int b = 0; b < nBands; b++)
        {
            buckets[b] = [];
        }

        for (int k = 0; k < items.Count; k++)
        {
            int b0 = Math.Max(0, items[k].Y0) / Simulator.BandHeight;
            int b1 = Math.Min(items[k].Y1 / Simulator.BandHeight, nBands - 1);
            for (int b = b0; b <= b1; b++)
            {
                buckets[b].Add(k);
            }
        }

        return buckets;
    }

    private static int AddHotPixels(SimulationOptions opt, int chipIndex, double[] img, short[] dq, int nx, int ny, double t)
    {
        DetectorModel det = opt.Detector;
        var rng = SimRandom.ForStream(opt.Seed, StreamIds.HotPixels, chipIndex);
        int count = (int)Math.Round(det.HotPixelFraction * nx * ny);
        for (int k = 0; k < count; k++)
        {
            int i = rng.NextInt(nx * ny);
            double rate = Math.Exp(rng.Uniform(Math.Log(0.05), Math.Log(3.0)));
            bool flagged = rng.NextDouble() < det.HotPixelFlaggedFraction;
            img[i] += rate * t;
            if (flagged)
            {
                dq[i] |= SimulatedDq.HotPixel;
            }
        }

        return count;
    }

    private static void ApplyBadColumns(SimulationOptions opt, int chipIndex, double[] img, short[] dq, int nx, int ny, double t)
    {
        DetectorModel det = opt.Detector;
        var rng = SimRandom.ForStream(opt.Seed, StreamIds.BadColumns, chipIndex);
        for (int k = 0; k < det.BadColumnsPerChip; k++)
        {
            int x = rng.NextInt(nx);
            int yStart = rng.NextDouble() < 0.5 ? 0 : rng.NextInt(ny);
            bool dead = rng.NextDouble() < 0.5;
            double hotRate = rng.Uniform(0.2, 2.0);
            for (int y = yStart; y < ny; y++)
            {
                int i = (y * nx) + x;
                img[i] = dead ? 0.05 * img[i] : img[i] + (hotRate * t);
                dq[i] |= SimulatedDq.BadPixel;
            }
        }
    }

    /// <summary>Clips every pixel at full well and spreads the excess up and down its column; flags the result.</summary>
    private static int Bleed(double[] img, short[] dq, int nx, int ny, double fullWell, ParallelOptions par)
    {
        int strips = (nx + ColumnStrip - 1) / ColumnStrip;
        int[] counts = new int[strips];
        Parallel.For(0, strips, par, s =>
        {
            int c0 = s * ColumnStrip, c1 = Math.Min(nx, c0 + ColumnStrip);
            int n = 0;
            for (int x = c0; x < c1; x++)
            {
                int y = 0;
                while (y < ny)
                {
                    if (img[(y * nx) + x] <= fullWell)
                    {
                        y++;
                        continue;
                    }

                    int start = y;
                    double excess = 0;
                    while (y < ny && img[(y * nx) + x] > fullWell)
                    {
                        excess += img[(y * nx) + x] - fullWell;
                        img[(y * nx) + x] = fullWell;
                        y++;
                    }

                    double up = 0.5 * excess, down = 0.5 * excess;
                    for (int j = y; j < ny && up > 0; j++)
                    {
                        int i = (j * nx) + x;
                        double room = fullWell - img[i];
                        if (room > 0)
                        {
                            double take = Math.Min(room, up);
                            img[i] += take;
                            up -= take;
                        }
                    }

                    for (int j = start - 1; j >= 0 && down > 0; j--)
                    {
                        int i = (j * nx) + x;
                        double room = fullWell - img[i];
                        if (room > 0)
                        {
                            double take = Math.Min(room, down);
                            img[i] += take;
                            down -= take;
                        }
                    }
                }

                for (int j = 0; j < ny; j++)
                {
                    int i = (j * nx) + x;
                    if (img[i] >= fullWell * (1 - 1e-12))
                    {
                        dq[i] |= SimulatedDq.Saturated;
                        n++;
                    }
                }
            }

            counts[s] = n;
        });
        return counts.Sum();
    }

    /// <summary>Cosmic-ray tracks: isotropic incidence, Moyal (Landau-like) charge per unit path, a little diffusion.</summary>
    private static (int Events, int Pixels) AddCosmicRays(SimulationOptions opt, int exposureIndex, int chipIndex, float[] cr, byte[] mask, int nx, int ny, double t)
    {
        DetectorModel det = opt.Detector;
        var rng = SimRandom.ForStream(opt.Seed, StreamIds.CosmicRays, exposureIndex, chipIndex);
        double pixCm = det.PixelSizeMicrons * 1e-4;
        double area = nx * pixCm * ny * pixCm;
        int events = (int)rng.NextPoisson(det.CosmicRayRate * area * t);
        double thick = det.ThicknessInPixels;
        double perPixelPath = 80.0 * det.PixelSizeMicrons;
        for (int e = 0; e < events; e++)
        {
            double x = rng.Uniform(-0.5, nx - 0.5), y = rng.Uniform(-0.5, ny - 0.5);
            double phi = rng.Uniform(0, 2 * Math.PI);
            double c = Math.Sqrt(rng.NextOpenDouble());
            double length = Math.Min(thick * Math.Sqrt(1 - (c * c)) / c, 300);
            double z = rng.NextGaussian();
            double moyal = -Math.Log(Math.Max(z * z, 1e-300));
            double landau = Math.Clamp(1 + (0.25 * moyal), 0.3, 20);
            double q = perPixelPath * Math.Sqrt((thick * thick) + (length * length)) * landau;
            int steps = Math.Max(1, (int)Math.Ceiling(length / 0.2));
            double dqStep = q / steps;
            double dx = Math.Cos(phi) * length, dy = Math.Sin(phi) * length;
            for (int s = 0; s < steps; s++)
            {
                double f = (s + 0.5) / steps;
                int ix = (int)Math.Floor(x + (f * dx) + 0.5), iy = (int)Math.Floor(y + (f * dy) + 0.5);
                Deposit(cr, nx, ny, ix, iy, 0.8 * dqStep);
                Deposit(cr, nx, ny, ix + 1, iy, 0.05 * dqStep);
                Deposit(cr, nx, ny, ix - 1, iy, 0.05 * dqStep);
                Deposit(cr, nx, ny, ix, iy + 1, 0.05 * dqStep);
                Deposit(cr, nx, ny, ix, iy - 1, 0.05 * dqStep);
            }
        }

        int pixels = 0;
        for (int i = 0; i < cr.Length; i++)
        {
            if (cr[i] >= CosmicRayMaskLevel)
            {
                mask[i] = 1;
                pixels++;
            }
        }

        return (events, pixels);
    }

    private static void Deposit(float[] cr, int nx, int ny, int x, int y, double q)
    {
        if ((uint)x < (uint)nx && (uint)y < (uint)ny)
        {
            cr[(y * nx) + x] += (float)q;
        }
    }

    private readonly record struct Item(int SourceIndex, double X, double Y, double Flux, int X0, int X1, int Y0, int Y1, double[]? Stamp, int StampX0, int StampWidth);
}
