using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TweakDrizzle.Resample;

/// <summary>
/// Exact overlap of a quadrilateral (an input pixel mapped to the output) with output pixels: the square kernel's
/// <c>dover</c>, the quantity drizzle's <c>boxer</c>/<c>sgarea</c> computes (Bill Sparks' algorithm), by a
/// formulation that needs no division per output pixel.
/// </summary>
/// <remarks>
/// <para>
/// Geometry. Take one output column (an x interval of width 1) and a horizontal line y = b. Along a vertical line
/// x = const inside the column, the length of the quadrilateral lying above y = b is the sum, over the edges the line
/// crosses, of sign(dx) · max(y_edge(x) - b, 0), where dx is the edge's direction (the same even/odd rule that
/// makes the shoelace formula work; for a clockwise quadrilateral every term changes sign). Integrating over the
/// column gives the signed area of the quadrilateral inside the column and above y = b:
/// </para>
/// <para>
/// H(b) = Σ_edges sign(dx) · ∫ max(y_edge(x) - b, 0) dx over the edge's x-range clipped to the column,
/// </para>
/// <para>
/// and the overlap with the output pixel between rows b and b + 1 is H(b) - H(b + 1). For one edge clipped to the
/// column (x-width W, end heights y_a and y_b) the integral has three closed forms: W · ((y_a + y_b)/2 - b) when the
/// whole clipped edge is above b; 0 when it is below; and the triangle ½ (max(y_a, y_b) - b)² · |dx/dy| when b cuts
/// it. With each edge's slope dy/dx and run dx/dy computed once per quadrilateral (one vector division each), every
/// output pixel costs multiplications and comparisons only.
/// </para>
/// <para>
/// Vectorisation: the 4 lanes of a vector hold 4 consecutive output columns; H is evaluated at the footprint's row
/// boundaries and differenced, which yields the overlaps of one output row, 4 columns at a time, ready to deposit.
/// Cells the quadrilateral does not reach (above or below its extent within the column, or columns it does not
/// reach) get exactly 0, as <c>sgarea</c> gives them; the rounding error of the others is a few units of 1e-16 of
/// the footprint size (checked in the tests against exact rational clipping).
/// </para>
/// <para>
/// Coordinates are local: the quadrilateral is translated so that the footprint's first output pixel has its lower
/// left corner at the origin (the translation of nearby doubles is exact or nearly so), so the row boundaries are the
/// small integers 0, 1, 2, ...
/// </para>
/// </remarks>
internal static class Boxer
{
    /// <summary>Output columns per vector (the lanes of <see cref="Vector256{T}"/>).</summary>
    public const int Lanes = 4;

    private static readonly Vector256<double> LaneOffsets = Vector256.Create(0.0, 1.0, 2.0, 3.0);

    /// <summary>Lane <paramref name="k"/> (a constant after inlining) of <paramref name="v"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Lane(Vector256<double> v, int k)
    {
        if (Avx2.IsSupported)
        {
            return k switch
            {
                0 => Avx2.Permute4x64(v, 0x00),
                1 => Avx2.Permute4x64(v, 0x55),
                2 => Avx2.Permute4x64(v, 0xAA),
                _ => Avx2.Permute4x64(v, 0xFF),
            };
        }

        return Vector256.Create(v.GetElement(k));
    }

    /// <summary>
    /// A quadrilateral prepared for <see cref="Coverage"/>: per edge (lane k = edge from corner k to corner k+1 mod 4)
    /// its x-range, the heights at both ends, slope, half run and direction, in local coordinates.
    /// </summary>
    public readonly struct Quad
    {
        private readonly Vector256<double> xMin;
        private readonly Vector256<double> xMax;
        private readonly Vector256<double> yLeft;
        private readonly Vector256<double> yRight;
        private readonly Vector256<double> slope;
        private readonly Vector256<double> halfRun;
        private readonly Vector256<double> direction;

        /// <summary>
        /// Prepares the quadrilateral with corners (<paramref name="x"/>[k], <paramref name="y"/>[k]) (4 corners, in
        /// order, finite), in a frame whose origin is the point (<paramref name="originX"/>, <paramref name="originY"/>)
        /// (the lower left corner of the footprint's first output pixel).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per input pixel: optimised at the first call
        public Quad(Vector256<double> x, Vector256<double> y, double originX, double originY)
        {
            Vector256<long> next = Vector256.Create(1L, 2L, 3L, 0L);
            Vector256<double> xs = x - Vector256.Create(originX);
            Vector256<double> ys = y - Vector256.Create(originY);
            Vector256<double> xe = Vector256.Shuffle(xs, next);
            Vector256<double> ye = Vector256.Shuffle(ys, next);
            Vector256<double> dx = xe - xs;
            Vector256<double> dy = ye - ys;
            Vector256<double> backwards = Vector256.LessThan(dx, Vector256<double>.Zero);
            direction = Vector256.ConditionalSelect(backwards, Vector256.Create(-1.0), Vector256.Create(1.0));
            xMin = Vector256.ConditionalSelect(backwards, xe, xs);
            xMax = Vector256.ConditionalSelect(backwards, xs, xe);
            yLeft = Vector256.ConditionalSelect(backwards, ye, ys);
            yRight = Vector256.ConditionalSelect(backwards, ys, ye);

            // A vertical edge (dx = 0, or so small that dy/dx overflows) has no x-extent and contributes nothing; a
            // slope of 0 keeps its end heights finite.
            Vector256<double> s = dy / dx;
            slope = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(Vector256.Abs(s), Vector256.Create(double.MaxValue)), s, Vector256<double>.Zero);

            // ½ sign(dx) |dx/dy|: the triangle's area factor. A horizontal edge never has the triangle case (its ends
            // have the same height); its factor is kept finite (and 0 for a point-like edge) so that the triangle term,
            // multiplied by 0 there, stays 0.
            Vector256<double> run = (Vector256.Create(0.5) * dx) / Vector256.Abs(dy);
            var huge = Vector256.Create(1e300);
            halfRun = Vector256.ConditionalSelect(Vector256.Equals(run, run), Vector256.MinNative(Vector256.MaxNative(run, -huge), huge), Vector256<double>.Zero);
        }

        /// <summary>
        /// Overlaps of output rows 0 .. <paramref name="nrows"/> - 1 (local) with the 4 columns <paramref name="c0"/> ..
        /// <paramref name="c0"/> + 3: <paramref name="rows"/>[r] lane c is the signed overlap with the output pixel
        /// whose lower left corner is (c0 + c, r). Lanes at or beyond <paramref name="ncols"/> (the footprint's width)
        /// are 0. <paramref name="rowsWhole"/> states that the quadrilateral lies within rows 0 .. nrows - 1 (the
        /// footprint is not cut by the frame), so that the area above row 0's bottom is each column's whole area and
        /// nothing lies above the last row's top: two of the nrows + 1 evaluations of H are then skipped.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per input pixel: optimised at the first call
        public void Coverage(int c0, int ncols, int nrows, bool rowsWhole, Span<Vector256<double>> rows)
        {
            Vector256<double> left = Vector256.Create((double)c0) + LaneOffsets;
            Vector256<double> right = left + Vector256.Create(1.0);
            Vector256<double> inFootprint = Vector256.LessThan(LaneOffsets, Vector256.Create((double)(ncols - c0)));
            ClippedEdge e0 = Clip(0, left, right);
            ClippedEdge e1 = Clip(1, left, right);
            ClippedEdge e2 = Clip(2, left, right);
            ClippedEdge e3 = Clip(3, left, right);

            // The quadrilateral's y-extent within each column: cells entirely above or below it are exactly empty.
            Vector256<double> low = Vector256.MinNative(Vector256.MinNative(e0.Low, e1.Low), Vector256.MinNative(e2.Low, e3.Low));
            Vector256<double> high = Vector256.MaxNative(Vector256.MaxNative(e0.High, e1.High), Vector256.MaxNative(e2.High, e3.High));
            Vector256<double> above = rowsWhole
                ? ((e0.Moment + e1.Moment) + e2.Moment) + e3.Moment
                : AreaAbove(e0, e1, e2, e3, Vector256<double>.Zero);
            for (int r = 0; r < nrows; r++)
            {
                var bottom = Vector256.Create((double)r);
                Vector256<double> top = bottom + Vector256.Create(1.0);
                Vector256<double> aboveTop = rowsWhole && r == nrows - 1 ? Vector256<double>.Zero : AreaAbove(e0, e1, e2, e3, top);
                Vector256<double> reached = inFootprint & Vector256.GreaterThan(top, low) & Vector256.LessThan(bottom, high);
                rows[r] = reached & (above - aboveTop);
                above = aboveTop;
            }
        }

        /// <summary>H(b): the signed area of the quadrilateral inside each column and above y = <paramref name="b"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> AreaAbove(in ClippedEdge e0, in ClippedEdge e1, in ClippedEdge e2, in ClippedEdge e3, Vector256<double> b)
            => ((e0.AreaAbove(b) + e1.AreaAbove(b)) + e2.AreaAbove(b)) + e3.AreaAbove(b);

        /// <summary>Edge <paramref name="k"/> clipped to each of the 4 columns [left, right].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ClippedEdge Clip(int k, Vector256<double> left, Vector256<double> right)
        {
            var exMin = Lane(xMin, k);
            var exMax = Lane(xMax, k);
            var eyLeft = Lane(yLeft, k);
            var eyRight = Lane(yRight, k);
            var es = Lane(slope, k);
            var sign = Lane(direction, k);

            // The clipped ends' heights, each interpolated from the nearer end of the edge: exact where the column
            // does not cut the edge, so that a cell the quadrilateral only touches at a corner gets exactly 0. An
            // edge that misses a column gets xhi = xlo there: zero width, both ends at the same height.
            Vector256<double> xlo = Vector256.MaxNative(left, exMin);
            Vector256<double> xhi = Vector256.MaxNative(Vector256.MinNative(right, exMax), xlo);
            Vector256<double> hit = Vector256.GreaterThan(xhi, xlo);
            Vector256<double> ya = eyLeft + (es * (xlo - exMin));
            Vector256<double> yb = Vector256.ConditionalSelect(hit, eyRight + (es * (xhi - exMax)), ya);
            Vector256<double> width = sign * (xhi - xlo);
            Vector256<double> ymin = Vector256.MinNative(ya, yb);
            Vector256<double> ymax = Vector256.MaxNative(ya, yb);
            return new ClippedEdge
            {
                SignedWidth = width,
                Moment = width * (Vector256.Create(0.5) * (ya + yb)),
                YMin = ymin,
                YMax = ymax,
                HalfRun = Lane(halfRun, k),
                Low = Vector256.ConditionalSelect(hit, ymin, Vector256.Create(double.PositiveInfinity)),
                High = Vector256.ConditionalSelect(hit, ymax, Vector256.Create(double.NegativeInfinity)),
            };
        }
    }

    /// <summary>One edge clipped to 4 columns (lanes).</summary>
    private readonly struct ClippedEdge
    {
        /// <summary>sign(dx) times the clipped x-width.</summary>
        public Vector256<double> SignedWidth { get; init; }

        /// <summary>SignedWidth times the mean height of the clipped edge (its signed area above y = 0).</summary>
        public Vector256<double> Moment { get; init; }

        /// <summary>Lower end height of the clipped edge.</summary>
        public Vector256<double> YMin { get; init; }

        /// <summary>Higher end height of the clipped edge.</summary>
        public Vector256<double> YMax { get; init; }

        /// <summary>½ sign(dx) |dx/dy| (all lanes; finite).</summary>
        public Vector256<double> HalfRun { get; init; }

        /// <summary>YMin where the edge crosses the column, +∞ elsewhere.</summary>
        public Vector256<double> Low { get; init; }

        /// <summary>YMax where the edge crosses the column, -∞ elsewhere.</summary>
        public Vector256<double> High { get; init; }

        /// <summary>
        /// sign(dx) ∫ max(y(x) - b, 0) dx over the clipped edge: the trapezoid when the edge is wholly above b, the
        /// triangle above b when b cuts it, 0 when it is below.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> AreaAbove(Vector256<double> b)
        {
            Vector256<double> trapezoid = Moment - (SignedWidth * b);
            Vector256<double> t = Vector256.MaxNative(YMax - b, Vector256<double>.Zero);
            Vector256<double> triangle = HalfRun * (t * t);
            return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(b, YMin), trapezoid, triangle);
        }
    }
}
