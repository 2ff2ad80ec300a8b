using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TweakDrizzle.Resample;

/// <summary>
/// The square kernel (classic drizzle): each input pixel, shrunk by pixfrac about its centre, is mapped to a
/// quadrilateral in the output; its exact overlaps with the output pixels (<see cref="Boxer"/>), divided by the
/// quadrilateral's area, are the weights. The quadrilateral's 4 corners travel together in the lanes of a vector
/// (lane k = corner k).
/// </summary>
internal sealed partial class KernelJob
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private unsafe int RowSquare(int j, int i0, int i1)
    {
        fixed (float* pImg = OutImg, pWht = OutWht)
        fixed (int* pCtx = CtxPlane)
        fixed (double* pmx = Map.X, pmy = Map.Y)
        {
            return RowSquare(j, i0, i1, pImg, pWht, pCtx, pmx, pmy);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: optimised at the first call, no slow first image
    private unsafe int RowSquare(int j, int i0, int i1, float* pImg, float* pWht, int* pCtx, double* pmx, double* pmy)
    {
        bool avx512 = UseAvx512 && Avx.IsSupported;
        int nx = Map.Width;
        int ny = Map.Height;
        double dh = 0.5 * Pixfrac;
        double a = 1.0 - dh;
        var waa = Vector256.Create(a * a);
        var wab = Vector256.Create(a * dh);
        var wbb = Vector256.Create(dh * dh);
        var x0 = Vector256.Create(X0);
        var y0 = Vector256.Create(Y0);
        Span<Vector256<double>> rows = stackalloc Vector256<double>[4];

        // Interior pixels' corners are computed 4 input columns at a time (columns groupStart .. groupEnd).
        bool groups = Avx.IsSupported;
        Span<Vector256<double>> groupX = stackalloc Vector256<double>[4];
        Span<Vector256<double>> groupY = stackalloc Vector256<double>[4];
        int groupStart = 0, groupEnd = -1;
        int hits = 0;
        bool interiorRow = j > 0 && j < ny - 2;
        for (int i = i0; i <= i1; i++)
        {
            int idx = (j * nx) + i;
            if (avx512)
            {
                Prefetch(pImg, pWht, pCtx, j, i, i0, i1, 2, 0);
            }

            Vector256<double> qx, qy;
            if (interiorRow && i > 0 && i < nx - 2)
            {
                if (i > groupEnd && groups && i + 3 < nx - 2 && i + 3 <= i1)
                {
                    InteriorCorners4(pmx + idx, nx, waa, wab, wbb, groupX);
                    InteriorCorners4(pmy + idx, nx, waa, wab, wbb, groupY);
                    groupStart = i;
                    groupEnd = i + 3;
                }

                if (i <= groupEnd)
                {
                    qx = groupX[i - groupStart];
                    qy = groupY[i - groupStart];
                }
                else
                {
                    qx = InteriorCorners(pmx + idx, nx, waa, wab, wbb);
                    qy = InteriorCorners(pmy + idx, nx, waa, wab, wbb);
                }
            }
            else if (BorderCorners(i, j, dh, out Vector256<double> bx, out Vector256<double> by))
            {
                // (Copied, so that qx and qy, never address-taken, stay in registers.)
                qx = bx;
                qy = by;
            }
            else
            {
                continue;
            }

            qx -= x0;
            qy -= y0;
            if (!Vector256.EqualsAll(qx, qx) || !Vector256.EqualsAll(qy, qy))
            {
                continue;
            }

            // Footprint: output pixels nint(min) .. nint(max) on each axis, cut to the frame (an empty range when the
            // quadrilateral is off the frame; all four bounds are then small integers, exactly converted).
            Vector256<double> reach = Nint(Extent(qx, qy));
            Vector256<double> box = Vector256.MinNative(Vector256.MaxNative(reach, Vector256.Create(0.0, -1.0, 0.0, -1.0)), Vector256.Create(Onx, Onx - 1.0, Ony, Ony - 1.0));
            Vector128<int> ibox = Avx.IsSupported
                ? Avx.ConvertToVector128Int32WithTruncation(box)
                : Vector128.Create((int)box.GetElement(0), (int)box.GetElement(1), (int)box.GetElement(2), (int)box.GetElement(3));
            int minii = ibox.GetElement(0), maxii = ibox.GetElement(1);
            int minjj = ibox.GetElement(2), maxjj = ibox.GetElement(3);
            if (minii > maxii || minjj > maxjj)
            {
                continue;
            }

            double jaco = Jacobian(qx, qy);
            if (jaco == 0.0 || double.IsNaN(jaco))
            {
                continue;
            }

            float d = Data[idx] * Iscale;
            double w = WeightOf(idx) / jaco;
            int nrows = maxjj - minjj + 1;
            int ncols = maxii - minii + 1;
            if (nrows > rows.Length)
            {
                rows = new Vector256<double>[nrows];
            }

            // Local frame: the footprint's first output pixel (minii, minjj) has its lower left corner at the origin.
            // Unless the frame cuts the footprint's rows, the quadrilateral lies within them.
            var quad = new Boxer.Quad(qx, qy, minii - 0.5, minjj - 0.5);
            bool rowsWhole = reach.GetElement(2) == minjj && reach.GetElement(3) == maxjj;
            if (avx512 && nrows <= 4 && ncols <= Boxer.Lanes)
            {
                // The whole footprint in one 4x4 block: overlaps row by row (columns in lanes), deposited with masked
                // 4-lane stores.
                quad.Coverage(0, ncols, nrows, rowsWhole, rows);
                if (DepositSquare4x4(pImg, pWht, pCtx, (minjj * Onx) + minii, nrows, rows, d, w))
                {
                    hits++;
                }

                continue;
            }

            // 4 columns at a time, pixel by pixel: each output pixel gets at most one contribution from this input
            // pixel, so the order among them does not change any result.
            bool hit = false;
            for (int c0 = 0; c0 < ncols; c0 += Boxer.Lanes)
            {
                quad.Coverage(c0, ncols, nrows, rowsWhole, rows);
                int lanes = Math.Min(Boxer.Lanes, ncols - c0);
                for (int r = 0; r < nrows; r++)
                {
                    Vector256<double> row = rows[r];
                    int o = ((minjj + r) * Onx) + minii + c0;
                    for (int c = 0; c < lanes; c++)
                    {
                        double dover = row.GetElement(c);
                        if (dover != 0.0)
                        {
                            hit = true;
                            Deposit(o + c, d, (float)(dover * w), idx);
                        }
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

    /// <summary>
    /// One coordinate of the shrunken pixel's corners (i-h, j+h), (i+h, j+h), (i+h, j-h), (i-h, j-h) for an interior
    /// pixel: bilinear interpolation of the pixmap plane on the 3x3 neighbourhood of <paramref name="p"/> (the
    /// pixel's entry), with weights (1-h)², h(1-h), h², summed in drizzle's order (centre, side, vertical, diagonal).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> InteriorCorners(double* p, int nx, Vector256<double> waa, Vector256<double> wab, Vector256<double> wbb)
    {
        double* up = p + nx;
        double* dn = p - nx;
        var side = Vector256.Create(p[-1], p[1], p[1], p[-1]);
        var vertical = Vector256.Create(up[0], up[0], dn[0], dn[0]);
        var diagonal = Vector256.Create(up[-1], up[1], dn[1], dn[-1]);
        return (waa * Vector256.Create(p[0])) + (wab * side) + (wab * vertical) + (wbb * diagonal);
    }

    /// <summary>
    /// <see cref="InteriorCorners"/> for the 4 consecutive interior pixels starting at <paramref name="p"/> (the pixel
    /// at <paramref name="p"/>[3] must still be interior): computed with the pixels in the lanes, by the same
    /// operations in the same order, then transposed so that <paramref name="corners"/>[k] holds pixel k's corners.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void InteriorCorners4(double* p, int nx, Vector256<double> waa, Vector256<double> wab, Vector256<double> wbb, Span<Vector256<double>> corners)
    {
        double* up = p + nx;
        double* dn = p - nx;
        Vector256<double> centre = waa * Vector256.Load(p);
        Vector256<double> left = wab * Vector256.Load(p - 1);
        Vector256<double> right = wab * Vector256.Load(p + 1);
        Vector256<double> above = wab * Vector256.Load(up);
        Vector256<double> below = wab * Vector256.Load(dn);
        Vector256<double> k0 = ((centre + left) + above) + (wbb * Vector256.Load(up - 1));
        Vector256<double> k1 = ((centre + right) + above) + (wbb * Vector256.Load(up + 1));
        Vector256<double> k2 = ((centre + right) + below) + (wbb * Vector256.Load(dn + 1));
        Vector256<double> k3 = ((centre + left) + below) + (wbb * Vector256.Load(dn - 1));
        Vector256<double> t0 = Avx.UnpackLow(k0, k1);
        Vector256<double> t1 = Avx.UnpackHigh(k0, k1);
        Vector256<double> t2 = Avx.UnpackLow(k2, k3);
        Vector256<double> t3 = Avx.UnpackHigh(k2, k3);
        corners[0] = Avx.Permute2x128(t0, t2, 0x20);
        corners[1] = Avx.Permute2x128(t1, t3, 0x20);
        corners[2] = Avx.Permute2x128(t0, t2, 0x31);
        corners[3] = Avx.Permute2x128(t1, t3, 0x31);
    }

    /// <summary>The corners of a border pixel, by bilinear interpolation/extrapolation; false if one is NaN.</summary>
    private bool BorderCorners(int i, int j, double dh, out Vector256<double> qx, out Vector256<double> qy)
    {
        double yhi = j + dh;
        double ylo = j - dh;
        double xlo = i - dh;
        double xhi = i + dh;
        qx = qy = default;
        if (!Interpolate(xlo, yhi, out double xa, out double ya)
            || !Interpolate(xhi, yhi, out double xb, out double yb)
            || !Interpolate(xhi, ylo, out double xc, out double yc)
            || !Interpolate(xlo, ylo, out double xd, out double yd))
        {
            return false;
        }

        qx = Vector256.Create(xa, xb, xc, xd);
        qy = Vector256.Create(ya, yb, yc, yd);
        return true;
    }

    /// <summary>(min x, max x, min y, max y) of the 4 corners (finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Extent(Vector256<double> qx, Vector256<double> qy)
    {
        // Corners 0,1 against 2,3, then the two survivors of each half against each other.
        Vector256<double> first = Vector256.Create(qx.GetLower(), qy.GetLower());
        Vector256<double> second = Vector256.Create(qx.GetUpper(), qy.GetUpper());
        Vector256<double> lo = Vector256.MinNative(first, second);
        Vector256<double> hi = Vector256.MaxNative(first, second);
        Vector256<long> swap = Vector256.Create(1L, 0L, 3L, 2L);
        lo = Vector256.MinNative(lo, Vector256.Shuffle(lo, swap));
        hi = Vector256.MaxNative(hi, Vector256.Shuffle(hi, swap));
        return Vector256.ConditionalSelect(Vector256.Create(0L, -1L, 0L, -1L).AsDouble(), hi, lo);
    }

    /// <summary>Lane-wise <see cref="Nint(double)"/> (round half away from zero), the same operations per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Nint(Vector256<double> x)
    {
        Vector256<double> t = Vector256.Truncate(x);
        Vector256<double> f = x - t;
        var one = Vector256.Create(1.0);
        Vector256<double> up = Vector256.GreaterThanOrEqual(f, Vector256.Create(0.5)) & one;
        Vector256<double> dn = Vector256.LessThanOrEqual(f, Vector256.Create(-0.5)) & one;
        return t + (up - dn);
    }

    /// <summary>drizzle's jaco: the signed area of the quadrilateral, ½ ((x1-x3)(y0-y2) - (x0-x2)(y1-y3)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Jacobian(Vector256<double> qx, Vector256<double> qy)
    {
        Vector256<long> opposite = Vector256.Create(2L, 3L, 0L, 1L);
        Vector256<double> dx = qx - Vector256.Shuffle(qx, opposite);
        Vector256<double> dy = qy - Vector256.Shuffle(qy, opposite);
        return 0.5 * ((dx.GetElement(1) * dy.GetElement(0)) - (dx.GetElement(0) * dy.GetElement(1)));
    }

    /// <summary>Bilinear interpolation (linear extrapolation at the borders) of the pixmap at a fractional input position.</summary>
    private bool Interpolate(double xin, double yin, out double xout, out double yout)
    {
        int nx = Map.Width;
        int ny = Map.Height;
        int i0 = Math.Clamp((int)xin, 0, nx - 2);
        int j0 = Math.Clamp((int)yin, 0, ny - 2);
        double x = xin - i0;
        double y = yin - j0;
        double x1 = 1.0 - x;
        double y1 = 1.0 - y;
        int k00 = (j0 * nx) + i0;
        int k10 = k00 + 1;
        int k01 = k00 + nx;
        int k11 = k01 + 1;
        double[] mx = Map.X;
        double[] my = Map.Y;
        xout = (mx[k00] * x1 * y1) + (mx[k10] * x * y1) + (mx[k01] * x1 * y) + (mx[k11] * x * y);
        yout = (my[k00] * x1 * y1) + (my[k10] * x * y1) + (my[k01] * x1 * y) + (my[k11] * x * y);
        return !double.IsNaN(xout) && !double.IsNaN(yout);
    }
}
