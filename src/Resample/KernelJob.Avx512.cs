using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TweakDrizzle.Resample;

/// <summary>
/// AVX-512 paths of the footprint kernels: one output row of a footprint is deposited 8 pixels at a time with masked
/// loads and stores (a masked-off lane is neither read nor written, so nothing outside the footprint is touched and
/// the band decomposition stays race-free). Every lane does the same IEEE operations as <see cref="Deposit"/>, in the
/// same order, so the results are bit-identical to the scalar code. Used when there is no data2 and no DQ.
/// </summary>
internal sealed partial class KernelJob
{
    /// <summary>Whether the masked 8-lane paths apply to this job.</summary>
    private bool UseAvx512 => Avx512F.VL.IsSupported && OutImg2.Length == 0 && OutDq is null;

    private static readonly Vector256<float> LaneIndex = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);

    /// <summary>All-ones lanes for lane index &lt; <paramref name="n"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LanesBelow(int n) => Vector256.LessThan(LaneIndex, Vector256.Create((float)n));

    /// <summary>
    /// Deposits <paramref name="dow"/> (lanes selected by <paramref name="valid"/>, skipped where 0) into 8 consecutive
    /// output pixels. Returns whether some output weight became exactly 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool Chunk8(float* img, float* wht, int* ctx, Vector256<int> bit, Vector256<float> dow, Vector256<float> valid, Vector256<float> vd)
    {
        Vector256<float> vimg = Avx512F.VL.MaskLoad(img, valid, Vector256<float>.Zero);
        Vector256<float> vvc = Avx512F.VL.MaskLoad(wht, valid, Vector256<float>.Zero);
        Vector512<double> vpd = Avx512F.ConvertToVector512Double(vvc) + Avx512F.ConvertToVector512Double(dow);
        Vector256<float> num = (vimg * vvc) + (dow * vd);
        Vector512<double> q = Avx512F.ConvertToVector512Double(num) / vpd;
        Vector256<float> avg = Avx512F.ConvertToVector256Single(q);
        Vector256<float> newWht = Avx512F.ConvertToVector256Single(vpd);
        Vector256<float> active = valid & ~Vector256.Equals(dow, Vector256<float>.Zero);
        Vector256<float> fresh = Vector256.Equals(vvc, Vector256<float>.Zero);
        Avx512F.VL.MaskStore(img, active, Vector256.ConditionalSelect(fresh, vd, avg));
        Avx512F.VL.MaskStore(wht, active, newWht);
        if (ctx != null)
        {
            Vector256<int> positive = (valid & Vector256.GreaterThan(dow, Vector256<float>.Zero)).AsInt32();
            Vector256<int> vctx = Avx512F.VL.MaskLoad(ctx, positive, Vector256<int>.Zero);
            Avx512F.VL.MaskStore(ctx, positive, vctx | bit);
        }

        return (active & Vector256.Equals(newWht, Vector256<float>.Zero)) != Vector256<float>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private unsafe int RowTurboAvx512(int j, int i0, int i1)
    {
        int nx = Map.Width;
        double pfo = (Pixfrac / Pscale) / 2.0;
        double ac = 1.0 / (Pixfrac * Pixfrac);
        double doverScale = ac * Pscale * (double)Pscale;
        int hits = 0;
        bool zeroed = false;
        int onx = Onx;
        Vector256<int> bit = Vector256.Create(CtxBit);
        Vector512<double> lane = Vector512.Create(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
        fixed (float* pImg = OutImg, pWht = OutWht)
        fixed (int* pCtx = CtxPlane)
        {
            for (int i = i0; i <= i1; i++)
            {
                int idx = (j * nx) + i;
                Prefetch(pImg, pWht, pCtx, j, i, i0, i1, 1, 0);
                if (!TryBox(idx, pfo, out double ox, out double oy, out int iis, out int iie, out int jjs, out int jje))
                {
                    continue;
                }

                double xxi = ox - pfo;
                double xxa = ox + pfo;
                double yyi = oy - pfo;
                double yya = oy + pfo;

                var vd = Vector256.Create(Data[idx] * Iscale);
                double w = WeightOf(idx);
                var vxxa = Vector512.Create(xxa);
                var vxxi = Vector512.Create(xxi);
                bool hit = false;
                if (iie - iis < 4)
                {
                    // Up to 4 columns (the usual case): 4 lanes, the same operations per lane.
                    var lane4 = Vector256.Create(0.0, 1.0, 2.0, 3.0);
                    Vector256<double> ii4 = Vector256.Create((double)iis) + lane4;
                    Vector256<double> dx4 = Vector256.Min(Vector256.Create(xxa), ii4 + Vector256.Create(0.5)) - Vector256.Max(Vector256.Create(xxi), ii4 - Vector256.Create(0.5));
                    Vector256<double> valid4 = Vector256.GreaterThan(dx4, Vector256<double>.Zero)
                        & Vector256.LessThan(lane4, Vector256.Create((double)(iie - iis + 1)));
                    if (valid4 == Vector256<double>.Zero)
                    {
                        continue;
                    }

                    var vd4 = Vector128.Create(Data[idx] * Iscale);
                    var bit4 = Vector128.Create(CtxBit);
                    var vw4 = Vector256.Create(w);
                    for (int jj = jjs; jj <= jje; jj++)
                    {
                        double dy = Math.Min(yya, jj + 0.5) - Math.Max(yyi, jj - 0.5);
                        if (!(dy > 0.0))
                        {
                            continue;
                        }

                        hit = true;
                        Vector256<double> dover = dx4 * dy * doverScale;

                        // Lanes off the footprint or with dx <= 0 get weight 0, which Chunk4 does not deposit.
                        Vector128<float> dow = Avx.ConvertToVector128Single(valid4 & (dover * vw4));
                        int o = (jj * onx) + iis;
                        zeroed |= Chunk4(pImg + o, pWht + o, pCtx == null ? null : pCtx + o, bit4, dow, vd4);
                    }

                    if (hit)
                    {
                        hits++;
                    }

                    continue;
                }

                for (int c0 = iis; c0 <= iie; c0 += 8)
                {
                    Vector512<double> ii = Vector512.Create((double)c0) + lane;
                    Vector512<double> dx = Vector512.Min(vxxa, ii + Vector512.Create(0.5)) - Vector512.Max(vxxi, ii - Vector512.Create(0.5));
                    Vector256<float> dxPos = Avx512F.ConvertToVector256Single(Vector512.GreaterThan(dx, Vector512<double>.Zero).AsDouble() & Vector512.Create(1.0));
                    Vector256<float> valid = LanesBelow(iie - c0 + 1) & Vector256.GreaterThan(dxPos, Vector256<float>.Zero);
                    if (valid == Vector256<float>.Zero)
                    {
                        continue;
                    }

                    for (int jj = jjs; jj <= jje; jj++)
                    {
                        double dy = Math.Min(yya, jj + 0.5) - Math.Max(yyi, jj - 0.5);
                        if (!(dy > 0.0))
                        {
                            continue;
                        }

                        hit = true;
                        Vector512<double> dover = dx * dy * doverScale;
                        Vector256<float> dow = Avx512F.ConvertToVector256Single(dover * w);
                        int o = (jj * onx) + c0;
                        zeroed |= Chunk8(pImg + o, pWht + o, pCtx == null ? null : pCtx + o, bit, dow, valid, vd);
                    }
                }

                if (hit)
                {
                    hits++;
                }
            }
        }

        if (zeroed)
        {
            ZeroedWeight = true;
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private unsafe int RowGaussianAvx512(int j, int i0, int i1)
    {
        int nx = Map.Width;
        const double nsig = 2.5;
        double pfo = nsig * Pixfrac / 2.3548 / Pscale;
        pfo = Math.Max(pfo, 1.2 / Pscale);
        double ac = 1.0 / (Pixfrac * Pixfrac);
        double kscale2 = Pscale * (double)Pscale;
        double efac = 2.3548 * 2.3548 * kscale2 * ac / 2.0;
        double es = efac / Math.PI;
        int span = Math.Min(Onx, (2 * (int)Math.Ceiling(pfo)) + 3);
        int padded = (span + 7) & ~7;
        double* ex = stackalloc double[padded];
        int hits = 0;
        bool zeroed = false;
        int onx = Onx;
        Vector256<int> bit = Vector256.Create(CtxBit);
        fixed (float* pImg = OutImg, pWht = OutWht)
        fixed (int* pCtx = CtxPlane)
        {
            for (int i = i0; i <= i1; i++)
            {
                int idx = (j * nx) + i;
                Prefetch(pImg, pWht, pCtx, j, i, i0, i1, 2, 2);
                if (!TryBox(idx, pfo, out double ox, out double oy, out int nxi, out int nxa, out int nyi, out int nya))
                {
                    continue;
                }

                hits++;
                var vd = Vector256.Create(Data[idx] * Iscale);
                var w = Vector512.Create((double)WeightOf(idx));
                int ncol = nxa - nxi + 1;
                for (int ii = nxi; ii <= nxa; ii++)
                {
                    double ddx = ox - ii;
                    ex[ii - nxi] = Math.Exp(-(ddx * ddx) * efac);
                }

                for (int c = ncol; c < ((ncol + 7) & ~7); c++)
                {
                    ex[c] = 0.0;
                }

                for (int jj = nyi; jj <= nya; jj++)
                {
                    double ddy = oy - jj;
                    var ey = Vector512.Create(es * Math.Exp(-(ddy * ddy) * efac));
                    int o = (jj * onx) + nxi;
                    for (int c = 0; c < ncol; c += 8)
                    {
                        Vector512<double> dover = ey * Vector512.Load(ex + c);
                        Vector512<double> f = Avx512F.ConvertToVector512Double(Avx512F.ConvertToVector256Single(dover));
                        Vector256<float> dow = Avx512F.ConvertToVector256Single(f * w);
                        zeroed |= Chunk8(pImg + o + c, pWht + o + c, pCtx == null ? null : pCtx + o + c, bit, dow, LanesBelow(ncol - c), vd);
                    }
                }
            }
        }

        if (zeroed)
        {
            ZeroedWeight = true;
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private unsafe int RowLanczosAvx512(int j, int i0, int i1, int order)
    {
        int nx = Map.Width;
        double[] mx = Map.X;
        double[] my = Map.Y;
        double[] lut = LanczosTable.Get(order);
        int nlut = lut.Length;
        double pfo = order / (double)Pscale;
        double sdp = Pscale / LanczosTable.Delta;
        int span = Math.Min(Onx, (2 * (int)Math.Ceiling(pfo)) + 3);
        int padded = (span + 7) & ~7;
        double* lx = stackalloc double[padded];
        float* okx = stackalloc float[padded];
        int hits = 0;
        bool zeroed = false;
        int onx = Onx;
        Vector256<int> bit = Vector256.Create(CtxBit);
        float allOnes = BitConverter.Int32BitsToSingle(-1);
        fixed (float* pImg = OutImg, pWht = OutWht)
        fixed (int* pCtx = CtxPlane)
        {
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

                var vd = Vector256.Create(Data[idx] * Iscale);
                var w = Vector512.Create((double)WeightOf(idx));
                int ncol = nxa - nxi + 1;
                int nvalid = 0;
                for (int ii = nxi; ii <= nxa; ii++)
                {
                    double ixd = Nint(Math.Abs((xx - ii) * sdp));
                    bool ok = ixd < nlut;
                    lx[ii - nxi] = ok ? lut[(int)ixd] : 0.0;
                    okx[ii - nxi] = ok ? allOnes : 0f;
                    nvalid += ok ? 1 : 0;
                }

                for (int c = ncol; c < ((ncol + 7) & ~7); c++)
                {
                    lx[c] = 0.0;
                    okx[c] = 0f;
                }

                bool hit = false;
                for (int jj = nyi; jj <= nya && nvalid > 0; jj++)
                {
                    double iyd = Nint(Math.Abs((yy - jj) * sdp));
                    if (iyd >= nlut)
                    {
                        continue;
                    }

                    var luty = Vector512.Create(lut[(int)iyd]);
                    hit = true;
                    int o = (jj * onx) + nxi;
                    for (int c = 0; c < ncol; c += 8)
                    {
                        Vector256<float> dow = Avx512F.ConvertToVector256Single(Vector512.Load(lx + c) * luty * w);
                        zeroed |= Chunk8(pImg + o + c, pWht + o + c, pCtx == null ? null : pCtx + o + c, bit, dow, Vector256.Load(okx + c), vd);
                    }
                }

                if (hit)
                {
                    hits++;
                }
            }
        }

        if (zeroed)
        {
            ZeroedWeight = true;
        }

        return hits;
    }
    /// <summary>
    /// Deposits a square-kernel footprint of up to 4x4 output pixels starting at output index <paramref name="o"/>:
    /// <paramref name="rows"/>[r] holds the overlaps of row r (columns in lanes, 0 beyond the footprint). Per pixel
    /// this is the scalar code's <c>if (dover != 0) Deposit(o, d, (float)(dover * w))</c>. Returns whether any overlap
    /// of the first <paramref name="nrows"/> rows was non-zero (a hit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe bool DepositSquare4x4(float* pImg, float* pWht, int* pCtx, int o, int nrows, ReadOnlySpan<Vector256<double>> rows, float d, double w)
    {
        var vw = Vector256.Create(w);
        var vd = Vector128.Create(d);
        var bit = Vector128.Create(CtxBit);
        int onx = Onx;
        Vector256<double> any = Vector256<double>.Zero;
        bool zeroed = false;
        for (int r = 0; r < nrows; r++)
        {
            Vector256<double> dover = rows[r];
            Vector256<double> nonZero = ~Vector256.Equals(dover, Vector256<double>.Zero);
            any |= nonZero;
            Vector128<float> dow = Avx.ConvertToVector128Single(nonZero & (dover * vw));
            int p = o + (r * onx);
            zeroed |= Chunk4(pImg + p, pWht + p, pCtx == null ? null : pCtx + p, bit, dow, vd);
        }

        if (zeroed)
        {
            ZeroedWeight = true;
        }

        return any != Vector256<double>.Zero;
    }

    /// <summary><see cref="Chunk8"/> for 4 pixels; a lane is active where its weight is non-zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool Chunk4(float* img, float* wht, int* ctx, Vector128<int> bit, Vector128<float> dow, Vector128<float> vd)
    {
        Vector128<float> active = ~Vector128.Equals(dow, Vector128<float>.Zero);
        Vector128<float> vimg = Avx512F.VL.MaskLoad(img, active, Vector128<float>.Zero);
        Vector128<float> vvc = Avx512F.VL.MaskLoad(wht, active, Vector128<float>.Zero);
        Vector256<double> vpd = Avx.ConvertToVector256Double(vvc) + Avx.ConvertToVector256Double(dow);
        Vector128<float> num = (vimg * vvc) + (dow * vd);
        Vector256<double> q = Avx.ConvertToVector256Double(num) / vpd;
        Vector128<float> avg = Avx.ConvertToVector128Single(q);
        Vector128<float> newWht = Avx.ConvertToVector128Single(vpd);
        Vector128<float> fresh = Vector128.Equals(vvc, Vector128<float>.Zero);
        Avx512F.VL.MaskStore(img, active, Vector128.ConditionalSelect(fresh, vd, avg));
        Avx512F.VL.MaskStore(wht, active, newWht);
        if (ctx != null)
        {
            Vector128<int> positive = Vector128.GreaterThan(dow, Vector128<float>.Zero).AsInt32();
            Vector128<int> vctx = Avx512F.VL.MaskLoad(ctx, positive, Vector128<int>.Zero);
            Avx512F.VL.MaskStore(ctx, positive, vctx | bit);
        }

        return (active & Vector128.Equals(newWht, Vector128<float>.Zero)) != Vector128<float>.Zero;
    }
    /// <summary>How many input pixels ahead the output footprint is prefetched.</summary>
    private const int PrefetchAhead = 8;

    /// <summary>
    /// Prefetches the output lines (img, wht, ctx) around the mapped centre of the input pixel
    /// <see cref="PrefetchAhead"/> pixels further along the traversal (same row of the block, or the start of the next
    /// row): rows ±<paramref name="rowsHalf"/>, columns at ±<paramref name="colsHalf"/>. First touches of output lines
    /// otherwise stall on memory. Only reads the pixmap; prefetches never fault and change no result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void Prefetch(float* img, float* wht, int* ctx, int j, int i, int i0, int i1, int rowsHalf, int colsHalf)
    {
        int t = i + PrefetchAhead;
        int jt = j;
        if (t > i1)
        {
            t = i0 + (t - i1 - 1);
            jt = j + 1;
            if (jt >= Map.Height || t > i1)
            {
                return;
            }
        }

        int k = (jt * Map.Width) + t;
        double x = Map.X[k] - X0;
        double y = Map.Y[k] - Y0;
        if (!(x >= colsHalf && x <= Onx - 1 - colsHalf && y >= rowsHalf && y <= Ony - 1 - rowsHalf))
        {
            return;
        }

        int o = ((((int)(y + 0.5)) - rowsHalf) * Onx) + (int)(x + 0.5);
        for (int r = -rowsHalf; r <= rowsHalf; r++)
        {
            Sse.Prefetch0(img + o - colsHalf);
            Sse.Prefetch0(wht + o - colsHalf);
            if (ctx != null)
            {
                Sse.Prefetch0(ctx + o - colsHalf);
            }

            if (colsHalf > 0)
            {
                Sse.Prefetch0(img + o + colsHalf);
                Sse.Prefetch0(wht + o + colsHalf);
                if (ctx != null)
                {
                    Sse.Prefetch0(ctx + o + colsHalf);
                }
            }

            o += Onx;
        }
    }
}
