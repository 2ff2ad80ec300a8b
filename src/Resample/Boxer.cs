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
}
