namespace TweakDrizzle.SourceFinder;

/// <summary>The DAO options the engine needs (an internal copy so that other detectors can reuse the engine).</summary>
internal readonly record struct DaoOptionsCore(
    double Threshold,
    double SharpLo,
    double SharpHi,
    double RoundLo,
    double RoundHi,
    bool ExcludeBorder,
    double? PeakMax,
    int? Brightest,
    double? DataMin,
    double? DataMax,
    double MinSeparation)
{
    public static DaoOptionsCore From(DaoStarFinderOptions o) => new(
        o.Threshold, o.SharpLo, o.SharpHi, o.RoundLo, o.RoundHi, o.ExcludeBorder, o.PeakMax, o.Brightest, o.DataMin, o.DataMax, o.MinSeparation);
}

/// <summary>DAOFIND shape measurements of one peak (photutils 1.6 formulas).</summary>
internal struct DaoMeasurement
{
    public double Dx, Dy, Hx, Hy, Sharpness, Roundness1, Roundness2;
    public float DataPeak, ConvPeak;
    public bool BadInBox, Saturated, NearEdge;
}

/// <summary>The photutils 1.6 DAOFIND engine.</summary>
internal static class DaoCore
{
    public static List<DetectedSource> Run(DetectionImage image, StarFinderKernel kernel, DaoOptionsCore o, out string? message)
    {
        int nx = image.Width, ny = image.Height;
        float[] data = image.Data;
        bool[]? bad = image.CombinedBadMap();
        bool[]? excluded = bad;
        if (o.DataMin.HasValue || o.DataMax.HasValue)
        {
            double lo = o.DataMin ?? double.NegativeInfinity, hi = o.DataMax ?? double.PositiveInfinity;
            excluded = new bool[data.Length];
            for (int i = 0; i < data.Length; i++)
            {
                excluded[i] = (bad is not null && bad[i]) || data[i] < lo || data[i] > hi;
            }
        }

        float[] conv = Convolution.Convolve(data, nx, ny, kernel.WeightsArray, kernel.Nx, kernel.Ny, excluded);
        if (excluded is not null)
        {
            Convolution.FixMaskedConvolution(conv, data, nx, ny, kernel, excluded);
        }

        if (IsConstant(data))
        {
            message = "the image is constant: no local peaks can be found";
            return [];
        }

        float thrEff = (float)(o.Threshold * kernel.RelErr);
        (int Dx, int Dy)[] footprint = Footprint(kernel, o.MinSeparation);
        List<(int X, int Y)> peaks = FindPeaks(conv, nx, ny, footprint, thrEff, bad);
        if (o.ExcludeBorder)
        {
            int xr = kernel.XRadius, yr = kernel.YRadius;
            peaks = peaks.FindAll(p => p.X > xr && p.Y > yr && p.X < nx - xr && p.Y < ny - yr);
        }

        if (peaks.Count == 0)
        {
            message = "no sources were found above the threshold";
            return [];
        }

        var kept = new List<DetectedSource>(peaks.Count);
        var keptFlux32 = new List<float>(peaks.Count);
        float thrEff32 = thrEff;
        foreach ((int px, int py) in peaks)
        {
            DaoMeasurement m = Measure(data, conv, nx, ny, px, py, kernel, bad, o.DataMax);
            if (double.IsNaN(m.Dx) || double.IsNaN(m.Dy) || double.IsNaN(m.Hx) || double.IsNaN(m.Hy))
            {
                continue;
            }

            bool sharpOk = m.Saturated || (m.Sharpness > o.SharpLo && m.Sharpness < o.SharpHi);
            bool r1Ok = m.Roundness1 > o.RoundLo && m.Roundness1 < o.RoundHi;
            bool r2Ok = m.Saturated || (m.Roundness2 > o.RoundLo && m.Roundness2 < o.RoundHi);
            if (!(sharpOk && r1Ok && r2Ok))
            {
                continue;
            }

            float peak = m.DataPeak;
            if (o.PeakMax.HasValue && !(peak < o.PeakMax.Value))
            {
                continue;
            }

            // numpy 1.x: float32 array / python float is done in float32.
            float flux32 = (float)((double)m.ConvPeak / (double)thrEff32);
            double mag = flux32 > 0 ? -2.5 * Math.Log10(flux32) : double.NaN;
            SourceQuality flags = SourceQuality.None;
            if (m.Saturated)
            {
                flags |= SourceQuality.Saturated;
            }

            if (m.BadInBox)
            {
                flags |= SourceQuality.BadPixelsInBox;
            }

            if (m.NearEdge)
            {
                flags |= SourceQuality.NearEdge;
            }

            kept.Add(new DetectedSource
            {
                X = px + m.Dx,
                Y = py + m.Dy,
                Sharpness = m.Saturated ? double.NaN : m.Sharpness,
                Roundness1 = m.Roundness1,
                Roundness2 = m.Roundness2,
                Npix = kernel.Nx * kernel.Ny,
                Sky = 0.0,
                Peak = peak,
                Flux = flux32,
                Mag = mag,
                Flags = flags,
            });
            keptFlux32.Add(flux32);
        }

        if (kept.Count == 0)
        {
            message = "sources were found, but none pass the sharpness, roundness or peakmax criteria";
            return [];
        }

        if (o.Brightest.HasValue)
        {
            // np.argsort(flux)[::-1][:N]: descending flux; ties come out in reverse index order.
            int[] order = Enumerable.Range(0, kept.Count).ToArray();
            float[] keys = [.. keptFlux32];
            Array.Sort(order, (a, b) =>
            {
                int c = keys[b].CompareTo(keys[a]);
                return c != 0 ? c : b.CompareTo(a);
            });
            kept = [.. order.Take(o.Brightest.Value).Select(i => kept[i])];
        }

        for (int i = 0; i < kept.Count; i++)
        {
            kept[i] = kept[i] with { Id = i + 1 };
        }

        message = null;
        return kept;
    }

    internal static bool IsConstant(float[] data)
    {
        float first = data[0];
        for (int i = 1; i < data.Length; i++)
        {
            if (!data[i].Equals(first))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Peak footprint offsets: the kernel mask, or a disk of radius <paramref name="minSeparation"/>.</summary>
    internal static (int Dx, int Dy)[] Footprint(StarFinderKernel kernel, double minSeparation)
    {
        var list = new List<(int, int)>();
        if (minSeparation > 0)
        {
            int r = (int)Math.Floor(minSeparation);
            double r2 = minSeparation * minSeparation;
            for (int dy = -r; dy <= r; dy++)
            {
                for (int dx = -r; dx <= r; dx++)
                {
                    if ((dx != 0 || dy != 0) && (dx * dx) + (dy * dy) <= r2)
                    {
                        list.Add((dx, dy));
                    }
                }
            }
        }
        else
        {
            ReadOnlySpan<bool> mask = kernel.Mask;
            for (int j = 0; j < kernel.Ny; j++)
            {
                for (int i = 0; i < kernel.Nx; i++)
                {
                    int dx = i - kernel.XRadius, dy = j - kernel.YRadius;
                    if (mask[(j * kernel.Nx) + i] && (dx != 0 || dy != 0))
                    {
                        list.Add((dx, dy));
                    }
                }
            }
        }

        return [.. list];
    }

    /// <summary>
    /// Pixels with <c>conv &gt; thr</c> (float32) that equal the maximum over the footprint (zero outside the image,
    /// ties kept) and are not bad; raster order. Fixed row bands, so the order is deterministic.
    /// </summary>
    internal static List<(int X, int Y)> FindPeaks(float[] conv, int nx, int ny, (int Dx, int Dy)[] footprint, float thr, bool[]? bad)
    {
        return RasterScan.Collect(ny, (y, list) =>
        {
            int row = y * nx;
            for (int x = 0; x < nx; x++)
            {
                float v = conv[row + x];
                if (!(v > thr) || (bad is not null && bad[row + x]))
                {
                    continue;
                }

                bool isMax = true;
                foreach ((int dx, int dy) in footprint)
                {
                    int xx = x + dx, yy = y + dy;
                    float w = xx >= 0 && xx < nx && yy >= 0 && yy < ny ? conv[(yy * nx) + xx] : 0f;
                    if (w > v)
                    {
                        isMax = false;
                        break;
                    }
                }

                if (isMax)
                {
                    list.Add((x, y));
                }
            }
        });
    }

    /// <summary>Sharpness, roundness and the marginal Gaussian fits of one peak (photutils 1.6 formulas).</summary>
    internal static DaoMeasurement Measure(float[] data, float[] conv, int nx, int ny, int px, int py, StarFinderKernel kernel,
        bool[]? bad, double? dataMax)
    {
        int knx = kernel.Nx, kny = kernel.Ny, xc = kernel.XRadius, yc = kernel.YRadius;
        int n = knx * kny;
        Span<double> cd = n <= 256 ? stackalloc double[n] : new double[n];
        Span<float> cc = n <= 256 ? stackalloc float[n] : new float[n];
        var m = new DaoMeasurement();
        for (int j = 0; j < kny; j++)
        {
            int yy = py + j - yc;
            for (int i = 0; i < knx; i++)
            {
                int xx = px + i - xc;
                int k = (j * knx) + i;
                if (xx < 0 || xx >= nx || yy < 0 || yy >= ny)
                {
                    cd[k] = 0;
                    cc[k] = 0;
                    m.NearEdge = true;
                    continue;
                }

                int q = (yy * nx) + xx;
                cc[k] = conv[q];
                if (bad is not null && bad[q])
                {
                    cd[k] = 0;
                    m.BadInBox = true;
                    continue;
                }

                cd[k] = data[q];
            }
        }

        int center = (yc * knx) + xc;
        m.DataPeak = (float)cd[center];
        m.ConvPeak = cc[center];
        m.Saturated = dataMax.HasValue && m.DataPeak > dataMax.Value;
        // sharpness = (D0 - mean of the other masked pixels) / C0
        ReadOnlySpan<bool> mask = kernel.Mask;
        double sumMasked = 0;
        for (int k = 0; k < n; k++)
        {
            if (mask[k])
            {
                sumMasked += cd[k];
            }
        }

        double d0 = m.DataPeak;
        double dataMean = (sumMasked - cd[center]) / (kernel.NPixels - 1);
        m.Sharpness = (d0 - dataMean) / m.ConvPeak;

        // roundness1 on the convolved cutout with the centre zeroed (float32 sums in photutils)
        double q1 = 0, q2 = 0, q3 = 0, q4 = 0, sum4 = 0;
        for (int j = 0; j < kny; j++)
        {
            for (int i = 0; i < knx; i++)
            {
                int k = (j * knx) + i;
                double v = k == center ? 0.0 : cc[k];
                sum4 += Math.Abs(v);
                if (j <= yc && i >= xc + 1)
                {
                    q1 += v;
                }

                if (j < yc && i <= xc)
                {
                    q2 += v;
                }

                if (j >= yc && i < xc)
                {
                    q3 += v;
                }

                if (j >= yc + 1 && i >= xc)
                {
                    q4 += v;
                }
            }
        }

        double sum2 = -q1 + q2 - q3 + q4;
        m.Roundness1 = 2.0 * sum2 / sum4;

        (m.Dx, m.Hx) = MarginalFit(cd, kernel, axis: 0);
        (m.Dy, m.Hy) = MarginalFit(cd, kernel, axis: 1);
        m.Roundness2 = 2.0 * (m.Hx - m.Hy) / (m.Hx + m.Hy);
        return m;
    }

    /// <summary>photutils 1.6 <c>daofind_marginal_fit</c> for one cutout.</summary>
    internal static (double D, double H) MarginalFit(ReadOnlySpan<double> cd, StarFinderKernel kernel, int axis, double fallbackMargin = 0.0)
    {
        int knx = kernel.Nx, kny = kernel.Ny, xcen = kernel.XRadius, ycen = kernel.YRadius;
        ReadOnlySpan<double> g = kernel.Gaussian;
        int size = axis == 0 ? knx : kny;
        int center = axis == 0 ? xcen : ycen;
        double sigma = axis == 0 ? kernel.XSigma : kernel.YSigma;
        double wtSum = 0, kernSum = 0, kern2Sum = 0, dkernDxSum = 0, dkernDx2Sum = 0, kernDkernDxSum = 0;
        double dataSum = 0, dataKernSum = 0, dataDkernDxSum = 0, dataDxSum = 0;
        for (int k = 0; k < size; k++)
        {
            double wt = center - Math.Abs(k - center) + 1;
            double kern1 = 0, data1 = 0;
            if (axis == 0)
            {
                for (int j = 0; j < kny; j++)
                {
                    double wy = ycen - Math.Abs(j - ycen) + 1;
                    kern1 += g[(j * knx) + k] * wy;
                    data1 += cd[(j * knx) + k] * wy;
                }
            }
            else
            {
                for (int i = 0; i < knx; i++)
                {
                    double wx = xcen - Math.Abs(i - xcen) + 1;
                    kern1 += g[(k * knx) + i] * wx;
                    data1 += cd[(k * knx) + i] * wx;
                }
            }

            double dx = center - k;
            double dxx = axis == 0 ? center - k : k - center;
            double dkern = kern1 * dx;
            wtSum += wt;
            kernSum += kern1 * wt;
            kern2Sum += kern1 * kern1 * wt;
            dkernDxSum += dkern * wt;
            dkernDx2Sum += dkern * dkern * wt;
            kernDkernDxSum += kern1 * dkern * wt;
            dataSum += data1 * wt;
            dataKernSum += data1 * kern1 * wt;
            dataDkernDxSum += data1 * dkern * wt;
            dataDxSum += data1 * dxx * wt;
        }

        double hxNumer = dataKernSum - (dataSum * kernSum / wtSum);
        double hxDenom = kern2Sum - (kernSum * kernSum / wtSum);
        if (hxNumer <= 0.0 || hxDenom <= 0.0 || double.IsNaN(hxNumer) || double.IsNaN(hxDenom))
        {
            return (double.NaN, double.NaN);
        }

        double hx = hxNumer / hxDenom;
        double d = (kernDkernDxSum - (dataDkernDxSum - (dkernDxSum * dataSum))) / (hx * dkernDx2Sum / (sigma * sigma));
        double hsize = (size / 2.0) - fallbackMargin;
        if (Math.Abs(d) > hsize)
        {
            d = dataSum == 0.0 ? 0.0 : dataDxSum / dataSum;
            if (Math.Abs(d) > hsize)
            {
                d = 0.0;
            }
        }

        return (d, hx);
    }
}
