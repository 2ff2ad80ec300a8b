namespace TweakDrizzle.Matching;

/// <summary>A matched pair: 0-based row indices into the input and reference catalogs.</summary>
/// <param name="InIndex">Row in the input catalog.</param>
/// <param name="RefIndex">Row in the reference catalog.</param>
public readonly record struct MatchPair(int InIndex, int RefIndex);

/// <summary>
/// One-to-one nearest-neighbour matching within a tolerance, after mapping the input through a guess of the
/// transformation (TweakReg's <c>xyxymatch</c> "tolerance" mode, made exclusive).
/// </summary>
/// <remarks>
/// Unlike stimage's <c>xyxymatch</c>, a source is never matched twice: all candidate pairs within the
/// tolerance are taken in order of increasing distance (ties by input, then reference row) and each source is
/// used once. Sources closer than <c>separation</c> to an earlier one (in (y, x) order, as <c>xyxymatch</c>)
/// are left out of matching because they are confused. Thread-safe.
/// </remarks>
public static class ToleranceMatcher
{
    /// <summary>Matches the input catalog to the reference catalog.</summary>
    /// <param name="input">The input catalog.</param>
    /// <param name="reference">The reference catalog.</param>
    /// <param name="guess">Current guess of the map input → reference.</param>
    /// <param name="tolerance">Largest distance for a match, in reference pixels.</param>
    /// <param name="separation">Minimum separation, in reference pixels, below which sources are confused (0: off).</param>
    /// <returns>The pairs, sorted by input row.</returns>
    /// <exception cref="MatchingException">Tolerance not positive.</exception>
    public static MatchPair[] Match(SourceCatalog input, SourceCatalog reference, Affine2D guess, double tolerance, double separation = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reference);
        if (!(tolerance > 0) || !double.IsFinite(tolerance))
        {
            throw new MatchingException("tolerance must be a positive number of pixels");
        }

        int nin = input.Count;
        var xt = new double[nin];
        var yt = new double[nin];
        for (int i = 0; i < nin; i++)
        {
            (xt[i], yt[i]) = guess.Apply(input.XArray[i], input.YArray[i]);
        }

        return MatchTransformed(xt, yt, reference.XArray, reference.YArray, null, tolerance, separation);
    }

    internal static MatchPair[] MatchTransformed(
        double[] xt, double[] yt, double[] xr, double[] yr, PointGrid? refGrid, double tolerance, double separation)
    {
        bool[]? badIn = separation > 0 ? Confused(xt, yt, separation) : null;
        bool[]? badRef = separation > 0 ? Confused(xr, yr, separation) : null;
        refGrid ??= new PointGrid(xr, yr, Math.Max(tolerance, 1e-6));
        var candidates = new List<(double D2, int I, int J)>();
        double tol2 = tolerance * tolerance;
        var state = (List: candidates, I: 0, Tol2: tol2, Bad: badRef);
        for (int i = 0; i < xt.Length; i++)
        {
            if (badIn is not null && badIn[i])
            {
                continue;
            }

            state.I = i;
            refGrid.ForEachInBox(xt[i], yt[i], tolerance, ref state, static (ref (List<(double D2, int I, int J)> List, int I, double Tol2, bool[]? Bad) s, int j, double dx, double dy) =>
            {
                double d2 = (dx * dx) + (dy * dy);
                if (d2 <= s.Tol2 && (s.Bad is null || !s.Bad[j]))
                {
                    s.List.Add((d2, s.I, j));
                }
            });
        }

        candidates.Sort(static (a, b) =>
        {
            int c = a.D2.CompareTo(b.D2);
            if (c != 0)
            {
                return c;
            }

            c = a.I.CompareTo(b.I);
            return c != 0 ? c : a.J.CompareTo(b.J);
        });
        var usedIn = new bool[xt.Length];
        var usedRef = new bool[xr.Length];
        var pairs = new List<MatchPair>();
        foreach ((_, int i, int j) in candidates)
        {
            if (usedIn[i] || usedRef[j])
            {
                continue;
            }

            usedIn[i] = true;
            usedRef[j] = true;
            pairs.Add(new MatchPair(i, j));
        }

        pairs.Sort(static (a, b) => a.InIndex.CompareTo(b.InIndex));
        return [.. pairs];
    }

    /// <summary>Flags points within <paramref name="separation"/> of an earlier kept point in (y, x) order.</summary>
    internal static bool[] Confused(double[] x, double[] y, double separation)
    {
        int n = x.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int c = y[a].CompareTo(y[b]);
            if (c != 0)
            {
                return c;
            }

            c = x[a].CompareTo(x[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var bad = new bool[n];
        double s2 = separation * separation;
        for (int p = 0; p < n; p++)
        {
            int i = order[p];
            if (bad[i])
            {
                continue;
            }

            for (int q = p + 1; q < n; q++)
            {
                int j = order[q];
                double dy = y[j] - y[i];
                if (dy > separation)
                {
                    break;
                }

                double dx = x[j] - x[i];
                if ((dx * dx) + (dy * dy) <= s2)
                {
                    bad[j] = true;
                }
            }
        }

        return bad;
    }
}
