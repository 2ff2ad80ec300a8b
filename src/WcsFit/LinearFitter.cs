using TweakDrizzle.Matching;

namespace TweakDrizzle.WcsFit;

/// <summary>How sigma clipping treats points rejected in an earlier pass.</summary>
public enum ClipMode
{
    /// <summary>drizzlepac: rejected points never return; per-axis cut <c>|r| &lt; sigma·std·N₀/(N₀−n₀−1)</c>.</summary>
    Accumulate,

    /// <summary>tweakwcs-like: every pass tests all points against <c>sigma·RMSE</c> of the current fit, so earlier rejects can return.</summary>
    Readmit,
}

/// <summary>Outcome of a fit.</summary>
public enum FitStatus
{
    /// <summary>The fit passed every acceptance test.</summary>
    Success,

    /// <summary>Too few points, singular data, or an acceptance limit failed; see the message.</summary>
    Failed,
}

/// <summary>Options of <see cref="LinearFitter"/>; names follow TweakReg.</summary>
public sealed record FitOptions
{
    /// <summary>Fit geometry (TweakReg <c>fitgeometry</c>, default rscale).</summary>
    public FitGeometry FitGeometry { get; init; } = FitGeometry.RScale;

    /// <summary>Clipping passes (TweakReg <c>nclip</c>, default 3).</summary>
    public int NClip { get; init; } = 3;

    /// <summary>Clipping limit in standard deviations (TweakReg <c>sigma</c>, default 3).</summary>
    public double Sigma { get; init; } = 3.0;

    /// <summary>Clipping behaviour (default drizzlepac's accumulating clipping).</summary>
    public ClipMode ClipMode { get; init; } = ClipMode.Accumulate;

    /// <summary>Fewest points a fit may use (TweakReg <c>minobj</c>); null: tweakwcs' per-geometry default (1, 2, 2, 3).</summary>
    public int? MinObj { get; init; }

    /// <summary>Centre (reference pixels) about which XSH/YSH are reported; null: centre of the matched reference positions' extent.</summary>
    public (double X, double Y)? Center { get; init; }

    /// <summary>Acceptance: largest allowed fit RMS <c>sqrt(XRMS² + YRMS²)</c> in reference pixels (null: no limit).</summary>
    public double? MaxRms { get; init; }

    /// <summary>Acceptance: fewest points left after clipping (null: <see cref="MinObj"/>).</summary>
    public int? MinMatches { get; init; }
}

/// <summary>
/// A fitted linear correction with TweakReg's statistics. The model is <c>ref = Matrix · in + shift</c>
/// (<see cref="Transform"/>); the TweakReg figures describe the inverse map, reference → input, about
/// <see cref="Center"/>: <c>in − c = F·(ref − c) + (XSH, YSH)</c> with <c>F = Matrix⁻¹</c>.
/// </summary>
/// <param name="Status">Success or failure.</param>
/// <param name="Message">Why it failed, or a one-line summary.</param>
/// <param name="FitGeometry">The geometry fitted.</param>
/// <param name="Transform">The map input → reference.</param>
/// <param name="Center">Centre of the TweakReg figures, reference pixels.</param>
/// <param name="XSh">TweakReg XSH: x shift of the input relative to the reference at the centre (input − reference), pixels.</param>
/// <param name="YSh">TweakReg YSH, pixels.</param>
/// <param name="Rot">TweakReg ROT: proper rotation in degrees, [0, 360); a positive value turns the input x axis towards +y in the reference.</param>
/// <param name="Scale">TweakReg SCALE: sqrt|det F| (input pixels per reference pixel).</param>
/// <param name="Skew">TweakReg SKEW: ROT_Y − ROT_X in degrees (0 unless general).</param>
/// <param name="RotX">ROT_X in degrees, [0, 360).</param>
/// <param name="RotY">ROT_Y in degrees, [0, 360).</param>
/// <param name="ScaleX">SCALE_X = |first column of F|.</param>
/// <param name="ScaleY">SCALE_Y = |second column of F|.</param>
/// <param name="XRms">Population standard deviation of the x residuals (reference − model), reference pixels.</param>
/// <param name="YRms">Population standard deviation of the y residuals, reference pixels.</param>
/// <param name="Rmse">Root mean square of the residual lengths, reference pixels.</param>
/// <param name="Mae">Mean residual length, reference pixels.</param>
/// <param name="NMatch">Points used in the final fit (after clipping; TweakReg NMATCH).</param>
/// <param name="Used">Per input point: kept by the clipping.</param>
/// <param name="ResidualX">Per input point: x residual reference − model, reference pixels.</param>
/// <param name="ResidualY">Per input point: y residual reference − model, reference pixels.</param>
public sealed record FitResult(
    FitStatus Status,
    string Message,
    FitGeometry FitGeometry,
    Affine2D Transform,
    (double X, double Y) Center,
    double XSh,
    double YSh,
    double Rot,
    double Scale,
    double Skew,
    double RotX,
    double RotY,
    double ScaleX,
    double ScaleY,
    double XRms,
    double YRms,
    double Rmse,
    double Mae,
    int NMatch,
    IReadOnlyList<bool> Used,
    IReadOnlyList<double> ResidualX,
    IReadOnlyList<double> ResidualY)
{
    /// <summary>TweakReg "FIT RMS": <c>sqrt(XRMS² + YRMS²)</c>, reference pixels.</summary>
    public double FitRms => Math.Sqrt((XRms * XRms) + (YRms * YRms));
}

/// <summary>
/// Linear fits of matched positions with iterative sigma clipping (TweakReg <c>fitgeometry</c>, <c>nclip</c>,
/// <c>sigma</c>, <c>minobj</c>) and TweakReg's statistics.
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
public static class LinearFitter
{
    /// <summary>tweakwcs' default <c>minobj</c> for a geometry: shift 1, rshift 2, rscale 2, general 3.</summary>
    /// <param name="geometry">The geometry.</param>
    /// <returns>The minimum.</returns>
    public static int DefaultMinObj(FitGeometry geometry) => geometry switch
    {
        FitGeometry.Shift => 1,
        FitGeometry.General => 3,
        _ => 2,
    };

    /// <summary>Fits <c>ref = M · in + t</c> to matched points with clipping.</summary>
    /// <param name="xin">Input x.</param>
    /// <param name="yin">Input y.</param>
    /// <param name="xref">Reference x.</param>
    /// <param name="yref">Reference y.</param>
    /// <param name="weights">Weights (empty: unweighted).</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <returns>The fit; <see cref="FitStatus.Failed"/> with a reason when a test fails.</returns>
    /// <exception cref="WcsFitException">Arrays of different lengths or bad option values.</exception>
    public static FitResult Fit(
        ReadOnlySpan<double> xin,
        ReadOnlySpan<double> yin,
        ReadOnlySpan<double> xref,
        ReadOnlySpan<double> yref,
        ReadOnlySpan<double> weights,
        FitOptions? options = null)
    {
        options ??= new FitOptions();
        int n = xin.Length;
        if (yin.Length != n || xref.Length != n || yref.Length != n || (!weights.IsEmpty && weights.Length != n))
        {
            throw new WcsFitException("matched position arrays have different lengths");
        }

        if (options.NClip < 0 || !(options.Sigma > 0))
        {
            throw new WcsFitException("nclip must be >= 0 and sigma > 0");
        }

        int minObj = options.MinObj ?? DefaultMinObj(options.FitGeometry);
        int need = Math.Max(minObj, DefaultMinObj(options.FitGeometry));
        var used = new bool[n];
        for (int i = 0; i < n; i++)
        {
            used[i] = weights.IsEmpty || weights[i] > 0;
        }

        double[] xi = xin.ToArray(), yi = yin.ToArray(), xr = xref.ToArray(), yr = yref.ToArray();
        double[] w = weights.IsEmpty ? [] : weights.ToArray();
        (double X, double Y) center = options.Center ?? DefaultCenter(xr, yr);
        int count = used.Count(u => u);
        if (count < need)
        {
            return FailedResult($"too few matches for a {options.FitGeometry.ToName()} fit: {count} < minobj {need}", options, center, used);
        }

        Affine2D m;
        try
        {
            m = Solve(xi, yi, xr, yr, w, used, options.FitGeometry);
            var rx = new double[n];
            var ry = new double[n];
            int n0 = count;
            int lagged = 0;
            int previousCount = n0;
            for (int pass = 0; pass < options.NClip; pass++)
            {
                Residuals(m, xi, yi, xr, yr, rx, ry);
                var keep = new bool[n];
                int kept = 0;
                if (options.ClipMode == ClipMode.Accumulate)
                {
                    (double sx, double sy) = AxisStd(rx, ry, used);
                    double f = n0 - lagged - 1 > 0 ? n0 / (double)(n0 - lagged - 1) : 1.0;
                    for (int i = 0; i < n; i++)
                    {
                        keep[i] = used[i] && Math.Abs(rx[i]) < options.Sigma * sx * f && Math.Abs(ry[i]) < options.Sigma * sy * f;
                        kept += keep[i] ? 1 : 0;
                    }
                }
                else
                {
                    double rmse = Rmse(rx, ry, used);
                    for (int i = 0; i < n; i++)
                    {
                        bool valid = weights.IsEmpty || weights[i] > 0;
                        keep[i] = valid && Math.Sqrt((rx[i] * rx[i]) + (ry[i] * ry[i])) < options.Sigma * rmse;
                        kept += keep[i] ? 1 : 0;
                    }
                }

                if (kept <= 2 || kept < need)
                {
                    break;
                }

                if (keep.AsSpan().SequenceEqual(used))
                {
                    break;
                }

                // drizzlepac's lag: the correction factor uses the count removed one pass earlier.
                lagged = n0 - previousCount;
                previousCount = kept;
                used = keep;
                m = Solve(xi, yi, xr, yr, w, used, options.FitGeometry);
            }
        }
        catch (MatchingException e)
        {
            return FailedResult(e.Message, options, center, used);
        }

        return Build(m, xi, yi, xr, yr, used, center, options, need);
    }

    /// <summary>The TweakReg figures of a given map (no fitting): XSH, YSH, ROT, SCALE, SKEW about <paramref name="center"/>.</summary>
    /// <param name="transform">Map input → reference.</param>
    /// <param name="center">Centre, reference pixels.</param>
    /// <returns>(XSH, YSH, ROT, SCALE, SKEW, ROT_X, ROT_Y, SCALE_X, SCALE_Y).</returns>
    public static (double XSh, double YSh, double Rot, double Scale, double Skew, double RotX, double RotY, double ScaleX, double ScaleY) TweakRegFigures(Affine2D transform, (double X, double Y) center)
    {
        Affine2D g = transform.Inverse();

        // F = G: in = G·ref + g.t; in − c = G (ref − c) + (G c + g.t − c).
        (double gx, double gy) = g.Apply(center.X, center.Y);
        double xsh = gx - center.X, ysh = gy - center.Y;
        double p0 = g.A, p1 = g.B, q0 = g.C, q1 = g.D;
        double det = (p0 * q1) - (p1 * q0);
        double sgn = det < 0 ? -1 : 1;
        double sx = Math.Sqrt((p0 * p0) + (q0 * q0)), sy = Math.Sqrt((p1 * p1) + (q1 * q1));
        double rot = Deg360(Math.Atan2((p1 / sy) - (sgn * q0 / sx), (p0 / sx) + (sgn * q1 / sy)));
        double rotx = Deg360(Math.Atan2(-q0 / sx, p0 / sx));
        double roty = Deg360(Math.Atan2(p1 / sy, q1 / sy));
        return (xsh, ysh, rot, Math.Sqrt(Math.Abs(det)), roty - rotx, rotx, roty, sx, sy);
    }

    private static double Deg360(double rad)
    {
        double d = rad * 180.0 / Math.PI;
        d %= 360.0;
        return d < 0 ? d + 360.0 : d;
    }

    private static (double X, double Y) DefaultCenter(double[] x, double[] y) =>
        x.Length == 0 ? (0, 0) : ((x.Min() + x.Max()) / 2, (y.Min() + y.Max()) / 2);

    private static Affine2D Solve(double[] xi, double[] yi, double[] xr, double[] yr, double[] w, bool[] used, FitGeometry g)
    {
        var ww = new double[xi.Length];
        for (int i = 0; i < ww.Length; i++)
        {
            ww[i] = used[i] ? (w.Length == 0 ? 1.0 : w[i]) : 0.0;
        }

        return TransformEstimator.Fit(xi, yi, xr, yr, ww, g);
    }

    private static void Residuals(Affine2D m, double[] xi, double[] yi, double[] xr, double[] yr, double[] rx, double[] ry)
    {
        for (int i = 0; i < xi.Length; i++)
        {
            (double px, double py) = m.Apply(xi[i], yi[i]);
            rx[i] = xr[i] - px;
            ry[i] = yr[i] - py;
        }
    }

    private static (double Sx, double Sy) AxisStd(double[] rx, double[] ry, bool[] used)
    {
        double mx = 0, my = 0;
        int n = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            if (used[i])
            {
                mx += rx[i];
                my += ry[i];
                n++;
            }
        }

        if (n == 0)
        {
            return (0, 0);
        }

        mx /= n;
        my /= n;
        double sx = 0, sy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            if (used[i])
            {
                sx += (rx[i] - mx) * (rx[i] - mx);
                sy += (ry[i] - my) * (ry[i] - my);
            }
        }

        return (Math.Sqrt(sx / n), Math.Sqrt(sy / n));
    }

    private static double Rmse(double[] rx, double[] ry, bool[] used)
    {
        double s = 0;
        int n = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            if (used[i])
            {
                s += (rx[i] * rx[i]) + (ry[i] * ry[i]);
                n++;
            }
        }

        return n > 0 ? Math.Sqrt(s / n) : 0;
    }

    private static FitResult Build(Affine2D m, double[] xi, double[] yi, double[] xr, double[] yr, bool[] used, (double X, double Y) center, FitOptions o, int need)
    {
        int n = xi.Length;
        var rx = new double[n];
        var ry = new double[n];
        Residuals(m, xi, yi, xr, yr, rx, ry);
        (double sx, double sy) = AxisStd(rx, ry, used);
        double rmse = Rmse(rx, ry, used);
        double mae = 0;
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            if (used[i])
            {
                mae += Math.Sqrt((rx[i] * rx[i]) + (ry[i] * ry[i]));
                k++;
            }
        }

        mae = k > 0 ? mae / k : 0;
        if (m.Determinant == 0 || !double.IsFinite(m.Determinant))
        {
            return FailedResult("the fitted transformation is singular", o, center, used);
        }

        var f = TweakRegFigures(m, center);
        FitStatus status = FitStatus.Success;
        string message = $"{o.FitGeometry.ToName()} fit of {k} points: RMS {Math.Sqrt((sx * sx) + (sy * sy)):0.####} px";
        int minMatches = o.MinMatches ?? need;
        if (k < minMatches)
        {
            status = FitStatus.Failed;
            message = $"only {k} points survive clipping, fewer than the {minMatches} required";
        }
        else if (o.MaxRms is { } maxRms && !(Math.Sqrt((sx * sx) + (sy * sy)) <= maxRms))
        {
            status = FitStatus.Failed;
            message = $"fit RMS {Math.Sqrt((sx * sx) + (sy * sy)):0.####} px exceeds the limit {maxRms:0.####} px";
        }

        return new FitResult(status, message, o.FitGeometry, m, center, f.XSh, f.YSh, f.Rot, f.Scale, f.Skew, f.RotX, f.RotY, f.ScaleX, f.ScaleY,
            sx, sy, rmse, mae, k, used, rx, ry);
    }

    private static FitResult FailedResult(string message, FitOptions o, (double X, double Y) center, bool[] used) =>
        new(FitStatus.Failed, message, o.FitGeometry, Affine2D.Identity, center, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, used, [], []);
}

/// <summary>A problem with fit input or options that the caller can fix. The message is one plain line.</summary>
public sealed class WcsFitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WcsFitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">One line in plain words.</param>
    public WcsFitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">One line in plain words.</param>
    /// <param name="innerException">The cause.</param>
    public WcsFitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
