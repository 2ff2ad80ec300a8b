namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>
/// Source footprints in the reference frame: the convex hull of a catalog's positions, and the area two hulls share.
/// TweakReg orders images by this overlap when <c>enforce_user_order</c> is off.
/// </summary>
internal static class Footprint
{
    /// <summary>The convex hull of the points, counter-clockwise, without repeated end point (Andrew's monotone chain).</summary>
    public static List<(double X, double Y)> ConvexHull(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var p = new List<(double X, double Y)>(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                p.Add((x[i], y[i]));
            }
        }

        p.Sort((a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        if (p.Count < 3)
        {
            return p;
        }

        var hull = new List<(double X, double Y)>(2 * p.Count);
        for (int pass = 0; pass < 2; pass++)
        {
            int start = hull.Count;
            for (int k = 0; k < p.Count; k++)
            {
                (double X, double Y) q = pass == 0 ? p[k] : p[p.Count - 1 - k];
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], q) <= 0)
                {
                    hull.RemoveAt(hull.Count - 1);
                }

                hull.Add(q);
            }

            hull.RemoveAt(hull.Count - 1);
        }

        return hull;
    }

    /// <summary>The area shared by two convex counter-clockwise polygons (Sutherland–Hodgman clipping).</summary>
    public static double OverlapArea(List<(double X, double Y)> subject, List<(double X, double Y)> clip)
    {
        if (subject.Count < 3 || clip.Count < 3)
        {
            return 0;
        }

        List<(double X, double Y)> output = subject;
        for (int e = 0; e < clip.Count && output.Count > 0; e++)
        {
            (double X, double Y) a = clip[e], b = clip[(e + 1) % clip.Count];
            List<(double X, double Y)> input = output;
            output = new List<(double X, double Y)>(input.Count + 2);
            for (int i = 0; i < input.Count; i++)
            {
                (double X, double Y) cur = input[i], prev = input[(i + input.Count - 1) % input.Count];
                bool curIn = Cross(a, b, cur) >= 0, prevIn = Cross(a, b, prev) >= 0;
                if (curIn != prevIn)
                {
                    output.Add(Intersect(prev, cur, a, b));
                }

                if (curIn)
                {
                    output.Add(cur);
                }
            }
        }

        return Area(output);
    }

    /// <summary>The area of a simple polygon (shoelace formula), positive whatever the orientation.</summary>
    public static double Area(List<(double X, double Y)> poly)
    {
        double s = 0;
        for (int i = 0; i < poly.Count; i++)
        {
            (double X, double Y) p = poly[i], q = poly[(i + 1) % poly.Count];
            s += (p.X * q.Y) - (q.X * p.Y);
        }

        return Math.Abs(s) / 2;
    }

    private static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
        ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));

    private static (double X, double Y) Intersect((double X, double Y) p, (double X, double Y) q, (double X, double Y) a, (double X, double Y) b)
    {
        double cp = Cross(a, b, p), cq = Cross(a, b, q);
        double t = cp / (cp - cq);
        return (p.X + (t * (q.X - p.X)), p.Y + (t * (q.Y - p.Y)));
    }
}
