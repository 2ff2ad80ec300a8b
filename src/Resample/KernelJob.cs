using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TweakDrizzle.Resample;

/// <summary>Everything one add-image pass needs; the kernels run on a band of input rows at a time.</summary>
internal sealed partial class KernelJob
{
    public required float[] Data { get; init; }

    public required float[]? Weights { get; init; }

    public required float WtScale { get; init; }

    public required float Iscale { get; init; }

    public required float Iscale2 { get; init; }

    public required float[]?[] Data2 { get; init; }

    public required uint[]? Dq { get; init; }

    public required float[] OutImg { get; init; }

    public required float[] OutWht { get; init; }

    public required float[][] OutImg2 { get; init; }

    public required uint[]? OutDq { get; init; }

    public required int[]? CtxPlane { get; init; }

    public required int CtxBit { get; init; }

    public required int Onx { get; init; }

    public required int Ony { get; init; }

    public required double X0 { get; init; }

    public required double Y0 { get; init; }

    public required Pixmap Map { get; init; }

    public required int Xmin { get; init; }

    public required int Xmax { get; init; }

    public required int Ymin { get; init; }

    public required int Ymax { get; init; }

    public required double Pixfrac { get; init; }

    public required float Pscale { get; init; }

    public required DrizzleKernel Kernel { get; init; }

    /// <summary>drizzle's nintd: round half away from zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Nint(double x)
    {
        if (Sse41.IsSupported)
        {
            // Branch-free (the rounding direction is data-dependent and mispredicts): t + (f >= 0.5) - (f <= -0.5).
            Vector128<double> vx = Vector128.CreateScalarUnsafe(x);
            Vector128<double> vt = Sse41.RoundToZeroScalar(vx);
            Vector128<double> vf = vx - vt;
            Vector128<double> one = Vector128.CreateScalarUnsafe(1.0);
            Vector128<double> up = Sse2.CompareScalarGreaterThanOrEqual(vf, Vector128.CreateScalarUnsafe(0.5)) & one;
            Vector128<double> dn = Sse2.CompareScalarLessThanOrEqual(vf, Vector128.CreateScalarUnsafe(-0.5)) & one;
            return Sse2.AddScalar(vt, Sse2.SubtractScalar(up, dn)).ToScalar();
        }

        double t = Math.Truncate(x);
        double f = x - t;
        return f >= 0.5 ? t + 1.0 : f <= -0.5 ? t - 1.0 : t;
    }

    /// <summary>Set when a contribution left an output weight of exactly 0 (negative lanczos weights): the fill must be re-applied.</summary>
    public bool ZeroedWeight { get; set; }

    /// <summary>The weighted-average update of one output pixel, float32 storage at every step (drizzle's update_data_var).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Deposit(int o, float d, float dow, int inIndex)
    {
        if (dow == 0f)
        {
            return;
        }

        float[] outImg = OutImg;
        float[] outWht = OutWht;
        float vc = outWht[o];
        double vcPlusDow = (double)vc + dow;
        if (vc == 0f)
        {
            outImg[o] = d;
            if (OutImg2.Length != 0)
            {
                for (int k = 0; k < OutImg2.Length; k++)
                {
                    float[]? src = Data2[k];
                    OutImg2[k][o] = src is null ? 0f : src[inIndex] * Iscale2;
                }
            }

            if (OutDq is not null)
            {
                OutDq[o] = Dq![inIndex];
            }
        }
        else
        {
            outImg[o] = (float)(((outImg[o] * vc) + (dow * d)) / vcPlusDow);
            if (OutImg2.Length != 0)
            {
                double dow2 = (double)dow * dow;
                double vc2 = (double)vc * vc;
                double vpd2 = vcPlusDow * vcPlusDow;
                for (int k = 0; k < OutImg2.Length; k++)
                {
                    float[]? src = Data2[k];
                    float d2 = src is null ? 0f : src[inIndex] * Iscale2;
                    float[] o2 = OutImg2[k];
                    o2[o] = (float)(((o2[o] * vc2) + (dow2 * d2)) / vpd2);
                }
            }

            if (OutDq is not null)
            {
                OutDq[o] |= Dq![inIndex];
            }
        }

        float newWht = (float)vcPlusDow;
        outWht[o] = newWht;
        if (newWht == 0f)
        {
            ZeroedWeight = true;
        }
        if (dow > 0f && CtxPlane is not null)
        {
            CtxPlane[o] |= CtxBit;
        }
    }

    /// <summary>
    /// Deposits one input pixel into <paramref name="n"/> consecutive output pixels of a row, starting at
    /// <paramref name="o0"/>, with weights <paramref name="dow"/>. Bit-identical to calling <see cref="Deposit"/>
    /// for each pixel in order (the pixels are distinct, and each lane does the same IEEE operations); vectorised
    /// when there are no data2 or DQ arrays.
    /// </summary>
    public void DepositRow(int o0, int n, ReadOnlySpan<float> dow, float d, int inIndex)
    {
        int c = 0;
        if (OutImg2.Length == 0 && OutDq is null && Vector256.IsHardwareAccelerated && n >= 4)
        {
            Span<float> img = OutImg.AsSpan(o0, n);
            Span<float> wht = OutWht.AsSpan(o0, n);
            Span<int> ctx = CtxPlane is null ? default : CtxPlane.AsSpan(o0, n);
            var vd = Vector128.Create(d);
            var vbit = Vector128.Create(CtxBit);
            for (; c + 4 <= n; c += 4)
            {
                Vector128<float> vdow = Vector128.Create(dow.Slice(c, 4));
                Vector128<float> vimg = Vector128.Create(img.Slice(c, 4));
                Vector128<float> vvc = Vector128.Create(wht.Slice(c, 4));
                Vector256<double> vpd = Vector256.Create(Vector128.WidenLower(vvc), Vector128.WidenUpper(vvc))
                    + Vector256.Create(Vector128.WidenLower(vdow), Vector128.WidenUpper(vdow));
                Vector128<float> num = (vimg * vvc) + (vdow * vd);
                Vector256<double> q = Vector256.Create(Vector128.WidenLower(num), Vector128.WidenUpper(num)) / vpd;
                Vector128<float> avg = Vector128.Narrow(q.GetLower(), q.GetUpper());
                Vector128<float> newWht = Vector128.Narrow(vpd.GetLower(), vpd.GetUpper());
                Vector128<float> active = ~Vector128.Equals(vdow, Vector128<float>.Zero);
                Vector128<float> fresh = Vector128.Equals(vvc, Vector128<float>.Zero);
                Vector128<float> newImg = Vector128.ConditionalSelect(fresh, vd, avg);
                Vector128.ConditionalSelect(active, newImg, vimg).CopyTo(img.Slice(c, 4));
                Vector128.ConditionalSelect(active, newWht, vvc).CopyTo(wht.Slice(c, 4));
                if ((active & Vector128.Equals(newWht, Vector128<float>.Zero)) != Vector128<float>.Zero)
                {
                    ZeroedWeight = true;
                }

                if (!ctx.IsEmpty)
                {
                    Vector128<int> positive = Vector128.GreaterThan(vdow, Vector128<float>.Zero).AsInt32();
                    Vector128<int> vctx = Vector128.Create(ctx.Slice(c, 4));
                    (vctx | (vbit & positive)).CopyTo(ctx.Slice(c, 4));
                }
            }
        }

        for (; c < n; c++)
        {
            Deposit(o0 + c, d, dow[c], inIndex);
        }
    }

    /// <summary>Width in input columns of the blocks a band is processed in (keeps the output footprint in cache).</summary>
    public const int BlockWidth = 64;

    /// <summary>
    /// Runs the kernel over input rows [j0, j1] (inclusive) in blocks of <see cref="BlockWidth"/> columns (block by
    /// block, rows within a block, columns within a row) and counts misses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    public void RunRows(int j0, int j1, out long nmiss, out long nskip)
    {
        var hits = new int[j1 - j0 + 1];
        bool avx512 = UseAvx512;
        for (int i0 = Xmin; i0 <= Xmax; i0 += BlockWidth)
        {
            int i1 = Math.Min(i0 + BlockWidth - 1, Xmax);
            for (int j = j0; j <= j1; j++)
            {
                hits[j - j0] += Kernel switch
                {
                    DrizzleKernel.Point => RowPoint(j, i0, i1),
                    DrizzleKernel.Turbo => avx512 ? RowTurboAvx512(j, i0, i1) : RowTurbo(j, i0, i1),
                    DrizzleKernel.Gaussian => avx512 ? RowGaussianAvx512(j, i0, i1) : RowGaussian(j, i0, i1),
                    DrizzleKernel.Lanczos2 => avx512 ? RowLanczosAvx512(j, i0, i1, 2) : RowLanczos(j, i0, i1, 2),
                    DrizzleKernel.Lanczos3 => avx512 ? RowLanczosAvx512(j, i0, i1, 3) : RowLanczos(j, i0, i1, 3),
                    _ => RowSquare(j, i0, i1),
                };
            }
        }

        int width = Xmax - Xmin + 1;
        nmiss = 0;
        nskip = 0;
        foreach (int h in hits)
        {
            nmiss += width - h;
            if (h == 0)
            {
                nskip++;
            }
        }
    }

    /// <summary>
    /// Where input pixel <paramref name="idx"/> lands and the output pixels a box of half-width <paramref name="half"/>
    /// (output pixels) around it reaches: nint of its edges, clipped to the frame. False when the pixel is unmapped
    /// (NaN) or the box misses the frame. Shared by the turbo and gaussian kernels, scalar and vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryBox(int idx, double half, out double ox, out double oy, out int x0, out int x1, out int y0, out int y1)
    {
        ox = Map.X[idx] - X0;
        oy = Map.Y[idx] - Y0;
        x0 = x1 = y0 = y1 = 0;
        if (double.IsNaN(ox) || double.IsNaN(oy))
        {
            return false;
        }

        x0 = (int)Math.Max(Nint(ox - half), 0);
        x1 = (int)Math.Min(Nint(ox + half), Onx - 1);
        y0 = (int)Math.Max(Nint(oy - half), 0);
        y1 = (int)Math.Min(Nint(oy + half), Ony - 1);
        return x0 <= x1 && y0 <= y1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float WeightOf(int idx) => Weights is null ? WtScale : Weights[idx] * WtScale;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private unsafe int RowPoint(int j, int i0, int i1)
    {
        int nx = Map.Width;
        double[] mx = Map.X;
        double[] my = Map.Y;
        int hits = 0;
        bool prefetch = Sse.IsSupported;
        fixed (float* pImg = OutImg, pWht = OutWht)
        fixed (int* pCtx = CtxPlane)
        {
            for (int i = i0; i <= i1; i++)
            {
                int idx = (j * nx) + i;
                if (prefetch)
                {
                    Prefetch(pImg, pWht, pCtx, j, i, i0, i1, 0, 0);
                }

                double ox = mx[idx] - X0;
                double oy = my[idx] - Y0;
                if (!(ox > -1.0 && ox < Onx + 1.0 && oy > -1.0 && oy < Ony + 1.0))
                {
                    continue;
                }

                int ii = (int)Nint(ox);
                int jj = (int)Nint(oy);
                if (ii < 0 || ii >= Onx || jj < 0 || jj >= Ony)
                {
                    continue;
                }

                hits++;
                float d = Data[idx] * Iscale;
                float dow = WeightOf(idx);
                Deposit((jj * Onx) + ii, d, dow, idx);
            }
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private int RowTurbo(int j, int i0, int i1)
    {
        int nx = Map.Width;
        double pfo = (Pixfrac / Pscale) / 2.0;
        double ac = 1.0 / (Pixfrac * Pixfrac);
        double doverScale = ac * Pscale * (double)Pscale;
        int hits = 0;
        for (int i = i0; i <= i1; i++)
        {
            int idx = (j * nx) + i;
            if (!TryBox(idx, pfo, out double ox, out double oy, out int iis, out int iie, out int jjs, out int jje))
            {
                continue;
            }

            double xxi = ox - pfo;
            double xxa = ox + pfo;
            double yyi = oy - pfo;
            double yya = oy + pfo;

            float d = Data[idx] * Iscale;
            double w = WeightOf(idx);
            bool hit = false;
            for (int jj = jjs; jj <= jje; jj++)
            {
                double dy = Math.Min(yya, jj + 0.5) - Math.Max(yyi, jj - 0.5);
                int row = jj * Onx;
                for (int ii = iis; ii <= iie; ii++)
                {
                    double dx = Math.Min(xxa, ii + 0.5) - Math.Max(xxi, ii - 0.5);
                    if (dx > 0.0 && dy > 0.0)
                    {
                        double dover = dx * dy * doverScale;
                        hit = true;
                        Deposit(row + ii, d, (float)(dover * w), idx);
                    }
                }
            }

            if (hit)
            {
                hits++;
            }
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private int RowGaussian(int j, int i0, int i1)
    {
        int nx = Map.Width;
        const double nsig = 2.5;
        double pfo = nsig * Pixfrac / 2.3548 / Pscale;
        pfo = Math.Max(pfo, 1.2 / Pscale);
        double ac = 1.0 / (Pixfrac * Pixfrac);
        double kscale2 = Pscale * (double)Pscale;
        double efac = 2.3548 * 2.3548 * kscale2 * ac / 2.0;
        double es = efac / Math.PI;
        Span<double> ex = stackalloc double[Math.Min(Onx, (2 * (int)Math.Ceiling(pfo)) + 3)];
        Span<float> dows = stackalloc float[ex.Length];
        int hits = 0;
        for (int i = i0; i <= i1; i++)
        {
            int idx = (j * nx) + i;
            if (!TryBox(idx, pfo, out double ox, out double oy, out int nxi, out int nxa, out int nyi, out int nya))
            {
                continue;
            }

            hits++;
            float d = Data[idx] * Iscale;
            double w = WeightOf(idx);

            // exp(-(dx^2 + dy^2) efac) = exp(-dx^2 efac) exp(-dy^2 efac): one exp per column and per row.
            int ncol = nxa - nxi + 1;
            for (int ii = nxi; ii <= nxa; ii++)
            {
                double ddx = ox - ii;
                ex[ii - nxi] = Math.Exp(-(ddx * ddx) * efac);
            }

            for (int jj = nyi; jj <= nya; jj++)
            {
                double ddy = oy - jj;
                double ey = es * Math.Exp(-(ddy * ddy) * efac);
                for (int c = 0; c < ncol; c++)
                {
                    double dover = ey * ex[c];
                    dows[c] = (float)((float)dover * w);
                }

                DepositRow((jj * Onx) + nxi, ncol, dows, d, idx);
            }
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private int RowLanczos(int j, int i0, int i1, int order)
    {
        int nx = Map.Width;
        double[] mx = Map.X;
        double[] my = Map.Y;
        double[] lut = LanczosTable.Get(order);
        int nlut = lut.Length;
        double pfo = order / (double)Pscale;
        double sdp = Pscale / LanczosTable.Delta;
        int span = Math.Min(Onx, (2 * (int)Math.Ceiling(pfo)) + 3);
        Span<double> lx = stackalloc double[span];
        Span<bool> okx = stackalloc bool[span];
        Span<float> dows = stackalloc float[span];
        int hits = 0;
        for (int i = i0; i <= i1; i++)
        {
            int idx = (j * nx) + i;
            double xx = mx[idx] - X0;
            double yy = my[idx] - Y0;
            if (double.IsNaN(xx) || double.IsNaN(yy))
            {
                continue;
            }

            int nxi = (int)Math.Max(Math.Floor(xx - pfo) + 1, 0);
            int nxa = (int)Math.Min(Math.Floor(xx + pfo), Onx - 1);
            int nyi = (int)Math.Max(Math.Floor(yy - pfo) + 1, 0);
            int nya = (int)Math.Min(Math.Floor(yy + pfo), Ony - 1);
            if (nxi > nxa || nyi > nya)
            {
                continue;
            }

            float d = Data[idx] * Iscale;
            double w = WeightOf(idx);
            int ncol = nxa - nxi + 1;
            int nvalid = 0;
            for (int ii = nxi; ii <= nxa; ii++)
            {
                double ixd = Nint(Math.Abs((xx - ii) * sdp));
                bool ok = ixd < nlut;
                lx[ii - nxi] = ok ? lut[(int)ixd] : 0.0;
                okx[ii - nxi] = ok;
                nvalid += ok ? 1 : 0;
            }

            bool hit = false;
            for (int jj = nyi; jj <= nya && nvalid > 0; jj++)
            {
                double iyd = Nint(Math.Abs((yy - jj) * sdp));
                if (iyd >= nlut)
                {
                    continue;
                }

                double luty = lut[(int)iyd];
                hit = true;
                for (int c = 0; c < ncol; c++)
                {
                    dows[c] = okx[c] ? (float)(lx[c] * luty * w) : 0f;
                }

                DepositRow((jj * Onx) + nxi, ncol, dows, d, idx);
            }

            if (hit)
            {
                hits++;
            }
        }

        return hits;
    }
}
