using System.Runtime.CompilerServices;

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
