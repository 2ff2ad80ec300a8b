using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TweakDrizzle.Resample;

/// <summary>Exact overlap of a quadrilateral with a unit output pixel (drizzle's boxer/sgarea, Bill Sparks' algorithm).</summary>
internal static class Boxer
{
    /// <summary>
    /// Signed area common to the quadrilateral (x, y) and output pixel (ii, jj), i.e. the square
    /// [ii-0.5, ii+0.5] x [jj-0.5, jj+0.5]. The sign is that of the quadrilateral's orientation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Area(int ii, int jj, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double ox = ii - 0.5;
        double oy = jj - 0.5;
        double px0 = x[0] - ox, py0 = y[0] - oy;
        double px1 = x[1] - ox, py1 = y[1] - oy;
        double px2 = x[2] - ox, py2 = y[2] - oy;
        double px3 = x[3] - ox, py3 = y[3] - oy;
        return SgArea(px0, py0, px1, py1) + SgArea(px1, py1, px2, py2) + SgArea(px2, py2, px3, py3) + SgArea(px3, py3, px0, py0);
    }

    /// <summary>Signed area under the segment (x1,y1)-(x2,y2), above y = 0, inside the unit square at the origin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SgArea(double x1, double y1, double x2, double y2)
    {
        double dx = x2 - x1;
        if (dx == 0.0)
        {
            return 0.0;
        }

        double sgn, xlo, xhi;
        if (dx < 0.0)
        {
            sgn = -1.0;
            xlo = x2;
            xhi = x1;
        }
        else
        {
            sgn = 1.0;
            xlo = x1;
            xhi = x2;
        }

        if (xlo >= 1.0 || xhi <= 0.0)
        {
            return 0.0;
        }

        xlo = Math.Max(xlo, 0.0);
        xhi = Math.Min(xhi, 1.0);
        double dy = y2 - y1;
        double slope = dy / dx;
        double ylo = y1 + (slope * (xlo - x1));
        double yhi = y1 + (slope * (xhi - x1));
        if (ylo <= 0.0 && yhi <= 0.0)
        {
            return 0.0;
        }

        if (ylo >= 1.0 && yhi >= 1.0)
        {
            return sgn * (xhi - xlo);
        }

        double det = (x1 * y2) - (y1 * x2);
        if (ylo < 0.0)
        {
            ylo = 0.0;
            xlo = det / dy;
        }

        if (yhi < 0.0)
        {
            yhi = 0.0;
            xhi = det / dy;
        }

        if (ylo <= 1.0)
        {
            if (yhi <= 1.0)
            {
                return sgn * 0.5 * (xhi - xlo) * (yhi + ylo);
            }

            double xtop = (dx + det) / dy;
            return sgn * ((0.5 * (xtop - xlo) * (1.0 + ylo)) + xhi - xtop);
        }

        double xt = (dx + det) / dy;
        return sgn * ((0.5 * (xhi - xt) * (1.0 + yhi)) + xt - xlo);
    }
    /// <summary>
    /// Writes <see cref="Area"/> of output pixels (<paramref name="ii"/>, <paramref name="jj0"/> + r) for r in
    /// [0, <paramref name="areas"/>.Length) into <paramref name="areas"/>, bit-identical to calling <see cref="Area"/>
    /// per pixel. Per column, each edge's clip to the column and its full-width contribution are computed once; per
    /// row, an edge that lies certainly above the pixel contributes that width and one certainly below contributes 0
    /// (what <see cref="SgArea"/> returns in those cases, decided with a margin of thousands of ulps over the rounding
    /// of both computations); only the rows an edge crosses call <see cref="SgArea"/>. The four terms are summed in
    /// the same order as <see cref="Area"/>.
    /// </summary>
    public static void Column(int ii, int jj0, in Quad q, Span<double> areas)
    {
        double ox = ii - 0.5;
        ReadOnlySpan<double> x = q.X;
        ReadOnlySpan<double> y = q.Y;
        double px0 = x[0] - ox, px1 = x[1] - ox, px2 = x[2] - ox, px3 = x[3] - ox;
        EdgeSpan e0 = Clip(px0, px1, y[0], q.Slope0, q.Eps0);
        EdgeSpan e1 = Clip(px1, px2, y[1], q.Slope1, q.Eps1);
        EdgeSpan e2 = Clip(px2, px3, y[2], q.Slope2, q.Eps2);
        EdgeSpan e3 = Clip(px3, px0, y[3], q.Slope3, q.Eps3);
        for (int r = 0; r < areas.Length; r++)
        {
            int jj = jj0 + r;
            double bottom = jj - 0.5;
            double top = jj + 0.5;
            double py0 = y[0] - bottom, py1 = y[1] - bottom, py2 = y[2] - bottom, py3 = y[3] - bottom;
            double a0 = Term(e0, bottom, top, px0, py0, px1, py1);
            double a1 = Term(e1, bottom, top, px1, py1, px2, py2);
            double a2 = Term(e2, bottom, top, px2, py2, px3, py3);
            double a3 = Term(e3, bottom, top, px3, py3, px0, py0);
            areas[r] = a0 + a1 + a2 + a3;
        }
    }

    /// <summary>
    /// <see cref="Column"/> with 4 rows per step in the lanes of a vector: for each edge active in the column, the
    /// branch-free vector form of <see cref="SgArea"/> (every case computed, the right one selected: the same IEEE
    /// operations per lane as the scalar code), summed over the edges in <see cref="Area"/>'s order.
    /// <paramref name="areas"/> must be a multiple of 4 long (rows beyond the wanted ones are computed and ignored).
    /// </summary>
    public static void ColumnVector(int ii, int jj0, in Quad q, Span<double> areas)
    {
        double ox = ii - 0.5;
        ReadOnlySpan<double> x = q.X;
        ReadOnlySpan<double> y = q.Y;
        double px0 = x[0] - ox, px1 = x[1] - ox, px2 = x[2] - ox, px3 = x[3] - ox;
        var rowOffset = Vector256.Create(0.0, 1.0, 2.0, 3.0);
        for (int r = 0; r < areas.Length; r += 4)
        {
            // bottom = jj - 0.5 per lane, exactly as the scalar code (small integers and halves are exact).
            Vector256<double> bottom = (Vector256.Create((double)(jj0 + r)) + rowOffset) - Vector256.Create(0.5);
            Vector256<double> py0 = Vector256.Create(y[0]) - bottom;
            Vector256<double> py1 = Vector256.Create(y[1]) - bottom;
            Vector256<double> py2 = Vector256.Create(y[2]) - bottom;
            Vector256<double> py3 = Vector256.Create(y[3]) - bottom;
            Vector256<double> acc = Vector256<double>.Zero;
            acc += SgAreaRows(px0, py0, px1, py1);
            acc += SgAreaRows(px1, py1, px2, py2);
            acc += SgAreaRows(px2, py2, px3, py3);
            acc += SgAreaRows(px3, py3, px0, py0);
            acc.CopyTo(areas.Slice(r, 4));
        }
    }

    /// <summary>
    /// <see cref="Area"/> of output pixels (<paramref name="ii"/>, jj0 + lane) for the 4 lanes, bit-identical (see
    /// <see cref="ColumnVector"/>). <paramref name="x"/>: the 4 corners' x; <paramref name="ys"/>: their y relative to
    /// rows jj0 .. jj0 + 3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Rows4(int ii, ReadOnlySpan<double> x, in RowsY ys)
    {
        double ox = ii - 0.5;
        double px0 = x[0] - ox, px1 = x[1] - ox, px2 = x[2] - ox, px3 = x[3] - ox;
        Vector256<double> py0 = ys.Py0, py1 = ys.Py1, py2 = ys.Py2, py3 = ys.Py3;
        Vector256<double> acc = Vector256<double>.Zero;
        acc += SgAreaRows(px0, py0, px1, py1);
        acc += SgAreaRows(px1, py1, px2, py2);
        acc += SgAreaRows(px2, py2, px3, py3);
        acc += SgAreaRows(px3, py3, px0, py0);
        return acc;
    }

    /// <summary>The corners' y relative to the bottoms of 4 consecutive output rows (shared by every column).</summary>
    public readonly struct RowsY
    {
        /// <summary>Relative y of the 4 corners for rows <paramref name="jj0"/> .. <paramref name="jj0"/> + 3.</summary>
        public RowsY(int jj0, ReadOnlySpan<double> y)
        {
            // bottom = jj - 0.5 per lane, exactly as the scalar code (small integers and halves are exact).
            Vector256<double> bottom = (Vector256.Create((double)jj0) + Vector256.Create(0.0, 1.0, 2.0, 3.0)) - Vector256.Create(0.5);
            Py0 = Vector256.Create(y[0]) - bottom;
            Py1 = Vector256.Create(y[1]) - bottom;
            Py2 = Vector256.Create(y[2]) - bottom;
            Py3 = Vector256.Create(y[3]) - bottom;
        }

        /// <summary>Corner 0.</summary>
        public Vector256<double> Py0 { get; }

        /// <summary>Corner 1.</summary>
        public Vector256<double> Py1 { get; }

        /// <summary>Corner 2.</summary>
        public Vector256<double> Py2 { get; }

        /// <summary>Corner 3.</summary>
        public Vector256<double> Py3 { get; }
    }

    /// <summary>Vector <see cref="SgArea"/> for one edge whose x ends are shared by all lanes (one row per lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SgAreaRows(double x1, Vector256<double> y1, double x2, Vector256<double> y2)
    {
        double dx = x2 - x1;
        if (dx == 0.0)
        {
            return Vector256<double>.Zero;
        }

        double sgn, xlo, xhi;
        if (dx < 0.0)
        {
            sgn = -1.0;
            xlo = x2;
            xhi = x1;
        }
        else
        {
            sgn = 1.0;
            xlo = x1;
            xhi = x2;
        }

        if (xlo >= 1.0 || xhi <= 0.0)
        {
            return Vector256<double>.Zero;
        }

        xlo = Math.Max(xlo, 0.0);
        xhi = Math.Min(xhi, 1.0);
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        var vxlo = Vector256.Create(xlo);
        var vxhi = Vector256.Create(xhi);
        Vector256<double> dy = y2 - y1;
        Vector256<double> slope = dy / Vector256.Create(dx);
        Vector256<double> ylo = y1 + (slope * Vector256.Create(xlo - x1));
        Vector256<double> yhi = y1 + (slope * Vector256.Create(xhi - x1));
        Vector256<double> below = Vector256.LessThanOrEqual(ylo, zero) & Vector256.LessThanOrEqual(yhi, zero);
        Vector256<double> above = Vector256.GreaterThanOrEqual(ylo, one) & Vector256.GreaterThanOrEqual(yhi, one);
        Vector256<double> det = (Vector256.Create(x1) * y2) - (y1 * Vector256.Create(x2));
        Vector256<double> cut = det / dy;
        Vector256<double> loNeg = Vector256.LessThan(ylo, zero);
        Vector256<double> hiNeg = Vector256.LessThan(yhi, zero);
        Vector256<double> yl = Vector256.ConditionalSelect(loNeg, zero, ylo);
        Vector256<double> xl = Vector256.ConditionalSelect(loNeg, cut, vxlo);
        Vector256<double> yh = Vector256.ConditionalSelect(hiNeg, zero, yhi);
        Vector256<double> xh = Vector256.ConditionalSelect(hiNeg, cut, vxhi);
        Vector256<double> xt = (Vector256.Create(dx) + det) / dy;
        var half = Vector256.Create(0.5);
        var vs = Vector256.Create(sgn);
        Vector256<double> caseA = Vector256.Create(sgn * 0.5) * (xh - xl) * (yh + yl);
        Vector256<double> caseB = vs * ((half * (xt - xl) * (one + yl)) + xh - xt);
        Vector256<double> caseC = vs * ((half * (xh - xt) * (one + yh)) + xt - xl);
        Vector256<double> loIn = Vector256.LessThanOrEqual(yl, one);
        Vector256<double> hiIn = Vector256.LessThanOrEqual(yh, one);
        Vector256<double> partial = Vector256.ConditionalSelect(loIn, Vector256.ConditionalSelect(hiIn, caseA, caseB), caseC);
        Vector256<double> full = Vector256.Create(sgn * (xhi - xlo));
        return Vector256.ConditionalSelect(below, zero, Vector256.ConditionalSelect(above, full, partial));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Term(in EdgeSpan e, double bottom, double top, double x1, double y1, double x2, double y2)
    {
        if (!e.Active || e.Hi <= bottom)
        {
            return 0.0;
        }

        return top <= e.Lo ? e.Full : SgArea(x1, y1, x2, y2);
    }

    /// <summary>
    /// One edge clipped to the column [0, 1] (relative x): whether <see cref="SgArea"/> can be non-zero there, the
    /// value it returns when the edge is above the whole pixel, and a conservative range of the edge's absolute y over
    /// the column. <paramref name="ya"/> is the absolute y of the first end; <paramref name="slope"/> = dy/dx in
    /// absolute coordinates; <paramref name="eps"/> the margin.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static EdgeSpan Clip(double x1, double x2, double ya, double slope, double eps)
    {
        double dx = x2 - x1;
        if (dx == 0.0)
        {
            return default;
        }

        double sgn, xlo, xhi;
        if (dx < 0.0)
        {
            sgn = -1.0;
            xlo = x2;
            xhi = x1;
        }
        else
        {
            sgn = 1.0;
            xlo = x1;
            xhi = x2;
        }

        if (xlo >= 1.0 || xhi <= 0.0)
        {
            return default;
        }

        xlo = Math.Max(xlo, 0.0);
        xhi = Math.Min(xhi, 1.0);
        double yl = ya + (slope * (xlo - x1));
        double yh = ya + (slope * (xhi - x1));
        double lo = Math.Min(yl, yh) - eps;
        double hi = Math.Max(yl, yh) + eps;
        if (!(lo <= hi))
        {
            // NaN or infinite slope: no classification, every row calls SgArea.
            lo = double.NegativeInfinity;
            hi = double.PositiveInfinity;
        }

        return new EdgeSpan(true, sgn * (xhi - xlo), lo, hi);
    }

    /// <summary>An edge's state in one column (see <see cref="Clip"/>).</summary>
    private readonly record struct EdgeSpan(bool Active, double Full, double Lo, double Hi);

    /// <summary>A quadrilateral prepared for <see cref="Column"/>: corners and per-edge slopes and rounding margins.</summary>
    public readonly ref struct Quad
    {
        /// <summary>Prepares the quadrilateral (x, y) (4 corners, in order; finite).</summary>
        public Quad(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
            X = x;
            Y = y;
            double m = 1.0;
            for (int k = 0; k < 4; k++)
            {
                m = Math.Max(m, Math.Max(Math.Abs(x[k]), Math.Abs(y[k])));
            }

            // Both this classification and SgArea err by a few ulps of the coordinates times (2 + |slope|).
            double e = 1e-12 * (m + 2.0);
            Slope0 = (y[1] - y[0]) / (x[1] - x[0]);
            Slope1 = (y[2] - y[1]) / (x[2] - x[1]);
            Slope2 = (y[3] - y[2]) / (x[3] - x[2]);
            Slope3 = (y[0] - y[3]) / (x[0] - x[3]);
            Eps0 = e * (2.0 + Math.Abs(Slope0));
            Eps1 = e * (2.0 + Math.Abs(Slope1));
            Eps2 = e * (2.0 + Math.Abs(Slope2));
            Eps3 = e * (2.0 + Math.Abs(Slope3));
        }

        /// <summary>Corner x.</summary>
        public ReadOnlySpan<double> X { get; }

        /// <summary>Corner y.</summary>
        public ReadOnlySpan<double> Y { get; }

        /// <summary>Slope of edge 0 (corner 0 to 1).</summary>
        public double Slope0 { get; }

        /// <summary>Slope of edge 1.</summary>
        public double Slope1 { get; }

        /// <summary>Slope of edge 2.</summary>
        public double Slope2 { get; }

        /// <summary>Slope of edge 3 (corner 3 to 0).</summary>
        public double Slope3 { get; }

        /// <summary>Margin of edge 0.</summary>
        public double Eps0 { get; }

        /// <summary>Margin of edge 1.</summary>
        public double Eps1 { get; }

        /// <summary>Margin of edge 2.</summary>
        public double Eps2 { get; }

        /// <summary>Margin of edge 3.</summary>
        public double Eps3 { get; }
    }
}
