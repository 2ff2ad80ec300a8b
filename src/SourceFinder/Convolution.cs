using System.Numerics;

namespace TweakDrizzle.SourceFinder;

/// <summary>
/// Image convolution in fixed row bands. Results do not depend on the number of cores: every output
/// pixel is summed in the same order (kernel raster order, as <c>scipy.ndimage.convolve</c>) whatever runs it.
/// </summary>
internal static class Convolution
{
    /// <summary>Rows per parallel band (a fixed decomposition).</summary>
    internal const int BandRows = 64;

    /// <summary>
    /// Zero-padded 2-D convolution (for point-symmetric kernels equal to correlation), accumulated in double and
    /// rounded once to float32, as <c>scipy.ndimage.convolve(float32, K, mode='constant', cval=0)</c>.
    /// Pixels flagged in <paramref name="bad"/> count as 0. With <paramref name="reflect"/> the image is extended by
    /// half-sample symmetric reflection instead (<c>mode='reflect'</c>: d c b a | a b c d | d c b a).
    /// </summary>
    public static float[] Convolve(float[] data, int nx, int ny, double[] kernel, int knx, int kny, bool[]? bad, bool reflect = false)
    {
        var output = new float[data.Length];
        int xr = knx / 2, yr = kny / 2;
        int nBands = (ny + BandRows - 1) / BandRows;

        // Non-zero taps in raster order.
        var taps = new List<(int Dy, int Dx, double W)>();
        for (int j = 0; j < kny; j++)
        {
            for (int i = 0; i < knx; i++)
            {
                double w = kernel[(j * knx) + i];
                if (w != 0.0)
                {
                    taps.Add((j - yr, i - xr, w));
                }
            }
        }

        (int Dy, int Dx, double W)[] tapArray = [.. taps];
        Parallel.For(0, nBands, band =>
        {
            int y0 = band * BandRows;
            int y1 = Math.Min(ny, y0 + BandRows);
            int r0 = reflect ? y0 - yr : Math.Max(0, y0 - yr);
            int r1 = reflect ? y1 + yr : Math.Min(ny, y1 + yr);
            int pad = xr + Vector<float>.Count;
            int stride = nx + (2 * pad);

            // Band rows (float) with zero or reflected padding on both sides.
            var buf = new float[(r1 - r0) * stride];
            for (int r = r0; r < r1; r++)
            {
                int src = Reflect(r, ny) * nx;
                int dst = ((r - r0) * stride) + pad;
                for (int x = 0; x < nx; x++)
                {
                    float v = data[src + x];
                    buf[dst + x] = bad is not null && bad[src + x] ? 0f : v;
                }

                if (reflect)
                {
                    for (int x = 1; x <= xr; x++)
                    {
                        buf[dst - x] = buf[dst + Reflect(-x, nx)];
                        buf[dst + nx - 1 + x] = buf[dst + Reflect(nx - 1 + x, nx)];
                    }
                }
            }

            int nt = tapArray.Length;
            var tapOff = new int[nt];
            var tapW = new double[nt];
            var tapDy = new int[nt];
            for (int t = 0; t < nt; t++)
            {
                tapDy[t] = tapArray[t].Dy;
                tapW[t] = tapArray[t].W;
            }

            int vc = Vector<double>.Count;
            var wv = new Vector<double>[nt];
            for (int y = y0; y < y1; y++)
            {
                // Taps whose row lies outside the image contribute nothing (scipy adds w·0).
                int n = 0;
                for (int t = 0; t < nt; t++)
                {
                    int yy = y + tapDy[t];
                    if (reflect || (yy >= 0 && yy < ny))
                    {
                        tapOff[n] = ((yy - r0) * stride) + pad + tapArray[t].Dx;
                        tapW[n] = tapArray[t].W;
                        n++;
                    }
                }

                Span<float> outRow = output.AsSpan(y * nx, nx);
                int x = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (int t = 0; t < n; t++)
                    {
                        wv[t] = new Vector<double>(tapW[t]);
                    }

                    // Two double vectors per step, narrowed (rounded to nearest, as a (float) cast) into one float vector.
                    for (; x + (2 * vc) <= nx; x += 2 * vc)
                    {
                        Vector<double> acc0 = Vector<double>.Zero, acc1 = Vector<double>.Zero;
                        for (int t = 0; t < n; t++)
                        {
                            Vector.Widen(new Vector<float>(buf, tapOff[t] + x), out Vector<double> lo, out Vector<double> hi);
                            acc0 += wv[t] * lo;
                            acc1 += wv[t] * hi;
                        }

                        Vector.Narrow(acc0, acc1).CopyTo(outRow[x..]);
                    }
                }

                for (; x < nx; x++)
                {
                    double acc = 0;
                    for (int t = 0; t < n; t++)
                    {
                        acc += tapW[t] * buf[tapOff[t] + x];
                    }

                    outRow[x] = (float)acc;
                }
            }
        });
        return output;
    }

    /// <summary>Half-sample symmetric reflection of an index into [0, n).</summary>
    internal static int Reflect(int i, int n)
    {
        while (i < 0 || i >= n)
        {
            i = i < 0 ? -i - 1 : (2 * n) - i - 1;
        }

        return i;
    }

    /// <summary>
    /// Recomputes, in place, every convolved pixel whose kernel footprint covers an excluded pixel, as the
    /// per-pixel masked least-squares amplitude of IRAF <c>ap_gconvolve</c>: the lowered Gaussian is fitted to the
    /// good pixels only. Pixels outside the image count as good zeros (photutils' zero padding).
    /// Outputs with fewer than 2 good pixels or a singular fit become 0.
    /// </summary>
    public static void FixMaskedConvolution(float[] conv, float[] data, int nx, int ny, StarFinderKernel kernel, bool[] excluded)
    {
        int xr = kernel.XRadius, yr = kernel.YRadius, knx = kernel.Nx, kny = kernel.Ny;
        bool[] mask = kernel.MaskArray;
        double[] g = kernel.GaussianArray;

        // Affected outputs: within the kernel footprint of an excluded pixel.
        var affected = new bool[conv.Length];
        bool any = false;
        for (int y = 0; y < ny; y++)
        {
            for (int x = 0; x < nx; x++)
            {
                if (!excluded[(y * nx) + x])
                {
                    continue;
                }

                any = true;
                for (int j = 0; j < kny; j++)
                {
                    int oy = y - (j - yr);
                    if (oy < 0 || oy >= ny)
                    {
                        continue;
                    }

                    for (int i = 0; i < knx; i++)
                    {
                        int ox = x - (i - xr);
                        if (mask[(j * knx) + i] && ox >= 0 && ox < nx)
                        {
                            affected[(oy * nx) + ox] = true;
                        }
                    }
                }
            }
        }

        if (!any)
        {
            return;
        }

        int nBands = (ny + BandRows - 1) / BandRows;
        Parallel.For(0, nBands, band =>
        {
            int y0 = band * BandRows, y1 = Math.Min(ny, y0 + BandRows);
            for (int y = y0; y < y1; y++)
            {
                for (int x = 0; x < nx; x++)
                {
                    int p = (y * nx) + x;
                    if (!affected[p])
                    {
                        continue;
                    }

                    double n = 0, sg = 0, sgg = 0, sd = 0, sgd = 0;
                    for (int j = 0; j < kny; j++)
                    {
                        int yy = y + j - yr;
                        for (int i = 0; i < knx; i++)
                        {
                            int k = (j * knx) + i;
                            if (!mask[k])
                            {
                                continue;
                            }

                            int xx = x + i - xr;
                            double d = 0;
                            if (yy >= 0 && yy < ny && xx >= 0 && xx < nx)
                            {
                                int q = (yy * nx) + xx;
                                if (excluded[q])
                                {
                                    continue;
                                }

                                d = data[q];
                            }

                            double gk = g[k];
                            n++;
                            sg += gk;
                            sgg += gk * gk;
                            sd += d;
                            sgd += gk * d;
                        }
                    }

                    double den = sgg - (sg * sg / n);
                    conv[p] = n < 2 || !(den > 0) ? 0f : (float)((sgd - (sg * sd / n)) / den);
                }
            }
        });
    }
}
