namespace TweakDrizzle.SourceFinder;

/// <summary>Options of <see cref="BackgroundMesh"/>.</summary>
public sealed record BackgroundMeshOptions
{
    /// <summary>Mesh (box) size in pixels (default 64, as SEP/SExtractor).</summary>
    public int BoxSize { get; init; } = 64;

    /// <summary>Median filter size over the mesh grid, in meshes (odd; default 3; 1 = none).</summary>
    public int FilterSize { get; init; } = 3;

    /// <summary>Clipping limit for the per-mesh statistics, in σ (default 3).</summary>
    public double Sigma { get; init; } = 3.0;

    /// <summary>Maximum clipping iterations per mesh (default 5).</summary>
    public int MaxIters { get; init; } = 5;

    /// <summary>A mesh with fewer than this fraction of usable pixels is filled from its neighbours (default 0.5).</summary>
    public double MinGoodFraction { get; init; } = 0.5;
}

/// <summary>
/// A smooth background and noise model for non-flat skies: per-mesh sigma-clipped statistics (SExtractor mode
/// estimator <c>2.5·median − 1.5·mean</c> when the distribution is not too skewed, else the median), a median
/// filter over the mesh grid, and bilinear interpolation between mesh centres (constant beyond the outer centres).
/// </summary>
/// <remarks>Immutable after construction; deterministic (each mesh is computed on its own).</remarks>
public sealed class BackgroundMesh
{
    private readonly float[] _bkg;   // per mesh, after filtering
    private readonly float[] _rms;
    private readonly double[] _cx;   // mesh centres, x
    private readonly double[] _cy;

    private BackgroundMesh(int width, int height, int box, int mx, int my, float[] bkg, float[] rms)
    {
        Width = width;
        Height = height;
        BoxSize = box;
        MeshesX = mx;
        MeshesY = my;
        _bkg = bkg;
        _rms = rms;
        _cx = new double[mx];
        _cy = new double[my];
        for (int i = 0; i < mx; i++)
        {
            int x0 = i * box, x1 = Math.Min(width, x0 + box);
            _cx[i] = (x0 + x1 - 1) / 2.0;
        }

        for (int j = 0; j < my; j++)
        {
            int y0 = j * box, y1 = Math.Min(height, y0 + box);
            _cy[j] = (y0 + y1 - 1) / 2.0;
        }

        float[] sorted = [.. rms];
        Array.Sort(sorted);
        GlobalRms = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        float[] sb = [.. bkg];
        Array.Sort(sb);
        GlobalBackground = sb.Length % 2 == 1 ? sb[sb.Length / 2] : 0.5 * (sb[(sb.Length / 2) - 1] + sb[sb.Length / 2]);
    }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Mesh size, pixels.</summary>
    public int BoxSize { get; }

    /// <summary>Meshes along x.</summary>
    public int MeshesX { get; }

    /// <summary>Meshes along y.</summary>
    public int MeshesY { get; }

    /// <summary>Median of the mesh noise values.</summary>
    public double GlobalRms { get; }

    /// <summary>Median of the mesh background values.</summary>
    public double GlobalBackground { get; }

    /// <summary>Estimates the background of an image.</summary>
    /// <param name="image">The image (masked and non-finite pixels are ignored).</param>
    /// <param name="options">Mesh options (null: defaults).</param>
    /// <returns>The background model.</returns>
    /// <exception cref="SourceFinderException">Bad options, or no usable pixel at all.</exception>
    public static BackgroundMesh Estimate(DetectionImage image, BackgroundMeshOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new BackgroundMeshOptions();
        int box = options.BoxSize;
        if (box < 4)
        {
            throw new SourceFinderException($"the background box size must be at least 4 pixels, got {box}");
        }

        if (options.FilterSize < 1 || options.FilterSize % 2 == 0)
        {
            throw new SourceFinderException($"the background filter size must be an odd number ≥ 1, got {options.FilterSize}");
        }

        int nx = image.Width, ny = image.Height;
        int mx = (nx + box - 1) / box, my = (ny + box - 1) / box;
        var bkg = new float[mx * my];
        var rms = new float[mx * my];
        var valid = new bool[mx * my];
        float[] data = image.Data;
        bool[]? mask = image.BadPixels;
        Parallel.For(0, my, j =>
        {
            var buf = new float[box * box];
            for (int i = 0; i < mx; i++)
            {
                int x0 = i * box, x1 = Math.Min(nx, x0 + box), y0 = j * box, y1 = Math.Min(ny, y0 + box);
                // Meshes of 32 px or more use every other row and column (256+ samples per mesh: plenty for a
                // clipped mode and σ; the median filter then smooths over 9 meshes).
                int n = 0;
                int step = box >= 32 ? 2 : 1;
                for (int y = y0; y < y1; y += step)
                {
                    for (int x = x0; x < x1; x += step)
                    {
                        int p = (y * nx) + x;
                        float v = data[p];
                        if (float.IsFinite(v) && (mask is null || !mask[p]))
                        {
                            buf[n++] = v;
                        }
                    }
                }

                int area = ((x1 - x0 + step - 1) / step) * ((y1 - y0 + step - 1) / step);
                if (n < Math.Max(8, options.MinGoodFraction * area))
                {
                    continue;
                }

                (double b, double s) = MeshEstimate(buf.AsSpan(0, n), options.Sigma, options.MaxIters);
                bkg[(j * mx) + i] = (float)b;
                rms[(j * mx) + i] = (float)s;
                valid[(j * mx) + i] = true;
            }
        });

        if (!valid.Any(v => v))
        {
            throw new SourceFinderException("no usable pixels for the background estimate");
        }

        FillInvalid(bkg, rms, valid, mx, my);
        if (options.FilterSize > 1)
        {
            bkg = MedianFilter(bkg, mx, my, options.FilterSize);
            rms = MedianFilter(rms, mx, my, options.FilterSize);
        }

        return new BackgroundMesh(nx, ny, box, mx, my, bkg, rms);
    }

    /// <summary>
    /// Clipped mode estimate and σ of one mesh (the span is reordered): the median is found once, then
    /// <c>median ± sigma·std</c> clipping iterates on the mean and σ of the survivors, and the final median of the
    /// survivors gives the SExtractor mode estimate.
    /// </summary>
    internal static (double Background, double Rms) MeshEstimate(Span<float> v, double sigma, int maxIters)
    {
        int n = v.Length;

        // Centre for the clipping: the median of a strided quarter of the mesh (only the final median is exact).
        int stride = n >= 1024 ? 4 : 1;
        var sample = new float[(n + stride - 1) / stride];
        for (int k = 0, q = 0; k < n; k += stride)
        {
            sample[q++] = v[k];
        }

        double med = Median(sample);
        double lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        double mean = 0, std = 0;
        long count = n;
        for (int it = 0; it <= maxIters; it++)
        {
            double s = 0, s2 = 0;
            long c = 0;
            for (int k = 0; k < n; k++)
            {
                float x = v[k];
                if (x >= lo && x <= hi)
                {
                    double dd = x - med;
                    s += dd;
                    s2 += dd * dd;
                    c++;
                }
            }

            if (c < 3)
            {
                break;
            }

            mean = med + (s / c);
            std = Math.Sqrt(Math.Max(0, (s2 / c) - ((s / c) * (s / c))));
            if (c == count && it > 0)
            {
                break;
            }

            count = c;
            lo = med - (sigma * std);
            hi = med + (sigma * std);
        }

        int m = 0;
        for (int k = 0; k < n; k++)
        {
            if (v[k] >= lo && v[k] <= hi)
            {
                v[m++] = v[k];
            }
        }

        double medClip = m > 0 ? Median(v[..m]) : med;
        double mode = std > 0 && Math.Abs(mean - medClip) / std < 0.3 ? (2.5 * medClip) - (1.5 * mean) : medClip;
        return (mode, std);
    }

    private static double Median(Span<float> v)
    {
        int n = v.Length;
        if (n % 2 == 1)
        {
            return KeyBuckets.QuickSelect(v, n / 2);
        }

        float a = KeyBuckets.QuickSelect(v, (n / 2) - 1);
        float b = KeyBuckets.QuickSelect(v, n / 2);
        return 0.5 * ((double)a + b);
    }

    private static void FillInvalid(float[] bkg, float[] rms, bool[] valid, int mx, int my)
    {
        // Repeatedly give each invalid mesh the mean of its valid 8-neighbours (deterministic sweep order).
        bool any = true;
        while (any)
        {
            any = false;
            var next = (bool[])valid.Clone();
            for (int j = 0; j < my; j++)
            {
                for (int i = 0; i < mx; i++)
                {
                    if (valid[(j * mx) + i])
                    {
                        continue;
                    }

                    double sb = 0, sr = 0;
                    int c = 0;
                    for (int dj = -1; dj <= 1; dj++)
                    {
                        for (int di = -1; di <= 1; di++)
                        {
                            int ii = i + di, jj = j + dj;
                            if (ii >= 0 && ii < mx && jj >= 0 && jj < my && valid[(jj * mx) + ii])
                            {
                                sb += bkg[(jj * mx) + ii];
                                sr += rms[(jj * mx) + ii];
                                c++;
                            }
                        }
                    }

                    if (c > 0)
                    {
                        bkg[(j * mx) + i] = (float)(sb / c);
                        rms[(j * mx) + i] = (float)(sr / c);
                        next[(j * mx) + i] = true;
                    }
                    else
                    {
                        any = true;
                    }
                }
            }

            Array.Copy(next, valid, valid.Length);
        }
    }

    private static float[] MedianFilter(float[] grid, int mx, int my, int size)
    {
        int h = size / 2;
        var result = new float[grid.Length];
        var buf = new float[size * size];
        for (int j = 0; j < my; j++)
        {
            for (int i = 0; i < mx; i++)
            {
                int n = 0;
                for (int jj = Math.Max(0, j - h); jj <= Math.Min(my - 1, j + h); jj++)
                {
                    for (int ii = Math.Max(0, i - h); ii <= Math.Min(mx - 1, i + h); ii++)
                    {
                        buf[n++] = grid[(jj * mx) + ii];
                    }
                }

                result[(j * mx) + i] = (float)Median(buf.AsSpan(0, n));
            }
        }

        return result;
    }

    /// <summary>Background at pixel (x, y), bilinear between mesh centres.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The background level.</returns>
    public double BackgroundAt(double x, double y) => Interpolate(_bkg, x, y);

    /// <summary>Noise σ at pixel (x, y), bilinear between mesh centres.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The noise level.</returns>
    public double RmsAt(double x, double y) => Interpolate(_rms, x, y);

    private double Interpolate(float[] grid, double x, double y)
    {
        (int i0, int i1, double tx) = Locate(_cx, x);
        (int j0, int j1, double ty) = Locate(_cy, y);
        double a = grid[(j0 * MeshesX) + i0], b = grid[(j0 * MeshesX) + i1];
        double c = grid[(j1 * MeshesX) + i0], d = grid[(j1 * MeshesX) + i1];
        return ((1 - ty) * (((1 - tx) * a) + (tx * b))) + (ty * (((1 - tx) * c) + (tx * d)));
    }

    private static (int I0, int I1, double T) Locate(double[] centres, double v)
    {
        int n = centres.Length;
        if (n == 1 || v <= centres[0])
        {
            return (0, 0, 0);
        }

        if (v >= centres[n - 1])
        {
            return (n - 1, n - 1, 0);
        }

        int i = Array.BinarySearch(centres, v);
        if (i >= 0)
        {
            return (i, i, 0);
        }

        i = ~i;
        double t = (v - centres[i - 1]) / (centres[i] - centres[i - 1]);
        return (i - 1, i, t);
    }

    /// <summary>
    /// The background-subtracted image: <c>data − background</c> as float32, with bad (masked or non-finite) pixels
    /// set to 0. Rows are computed in fixed bands.
    /// </summary>
    /// <param name="image">The image the model was estimated on.</param>
    /// <returns>A new array, same layout.</returns>
    public float[] Subtract(DetectionImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width != Width || image.Height != Height)
        {
            throw new SourceFinderException("the image size differs from the background model's");
        }

        var output = GC.AllocateUninitializedArray<float>(image.Data.Length);
        float[] data = image.Data;
        bool[]? mask = image.BadPixels;
        int nx = Width;

        // Each mesh row interpolated along x at full resolution once.
        var rowsX = new double[MeshesY][];
        for (int j = 0; j < MeshesY; j++)
        {
            var line = new double[nx];
            for (int x = 0; x < nx; x++)
            {
                (int i0, int i1, double tx) = Locate(_cx, x);
                line[x] = ((1 - tx) * _bkg[(j * MeshesX) + i0]) + (tx * _bkg[(j * MeshesX) + i1]);
            }

            rowsX[j] = line;
        }

        Parallel.For(0, (Height + Convolution.BandRows - 1) / Convolution.BandRows, band =>
        {
            int y0 = band * Convolution.BandRows, y1 = Math.Min(Height, y0 + Convolution.BandRows);
            for (int y = y0; y < y1; y++)
            {
                (int j0, int j1, double ty) = Locate(_cy, y);
                double[] a0 = rowsX[j0], a1 = rowsX[j1];
                int row = y * nx;
                for (int x = 0; x < nx; x++)
                {
                    float v = data[row + x];
                    double b = ((1 - ty) * a0[x]) + (ty * a1[x]);
                    output[row + x] = float.IsFinite(v) && (mask is null || !mask[row + x]) ? (float)(v - b) : 0f;
                }
            }
        });
        return output;
    }
}
