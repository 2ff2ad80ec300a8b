namespace TweakDrizzle.Simulation;

/// <summary>The geometry of one simulated exposure: its pointings and, per chip, the header and the true WCS.</summary>
public sealed record ExposureGeometry
{
    /// <summary>0-based index of the exposure in the data set (visit order, then exposure order).</summary>
    public required int Index { get; init; }

    /// <summary>0-based index of the visit.</summary>
    public required int VisitIndex { get; init; }

    /// <summary>The visit.</summary>
    public required VisitPlan Visit { get; init; }

    /// <summary>The exposure's rootname, exposure time and POS TARG.</summary>
    public required DitherPosition Dither { get; init; }

    /// <summary>Where the header says the telescope pointed.</summary>
    public required Pointing NominalPointing { get; init; }

    /// <summary>Where it really pointed (nominal plus the visit's pointing and roll error plus jitter).</summary>
    public required Pointing TruePointing { get; init; }

    /// <summary>The WCS written into each SCI header, chip 1 first.</summary>
    public required IReadOnlyList<TanSipModel> HeaderWcs { get; init; }

    /// <summary>The WCS the pixels were really rendered through, chip 1 first.</summary>
    public required IReadOnlyList<TanSipModel> TrueWcs { get; init; }

    /// <summary>The filter.</summary>
    public FilterSpec Filter => Visit.Filter;

    /// <summary>The rootname.</summary>
    public string Rootname => Dither.Rootname;

    /// <summary>The exposure time (seconds).</summary>
    public double ExposureTime => Dither.ExposureTime;
}

/// <summary>Builds chip WCSs from a detector model and a pointing.</summary>
public static class InstrumentGeometry
{
    private const double Deg = Math.PI / 180.0;

    /// <summary>
    /// The TAN-SIP WCS of chip <paramref name="chipIndex"/> (0-based, bottom chip first) for a pointing: CRPIX at
    /// the chip centre, CRVAL the sky position of that pixel, CD from the local linear part of the focal-plane
    /// model (including the meridian convergence between the chip's and the aperture's tangent points) and SIP
    /// A/B (order 3) from the non-linear part.
    /// </summary>
    /// <param name="detector">The detector.</param>
    /// <param name="chipIndex">0-based chip index.</param>
    /// <param name="pointing">The pointing.</param>
    /// <returns>The WCS.</returns>
    public static TanSipModel ChipWcs(DetectorModel detector, int chipIndex, Pointing pointing)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentOutOfRangeException.ThrowIfNegative(chipIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chipIndex, detector.ChipCount);
        (Polynomial2 fu, Polynomial2 fv) = detector.FocalPlane(chipIndex);
        double j11 = fu.Coefficient(1, 0), j12 = fu.Coefficient(0, 1), j21 = fv.Coefficient(1, 0), j22 = fv.Coefficient(0, 1);
        double det = (j11 * j22) - (j12 * j21);
        double k11 = j22 / det, k12 = -j12 / det, k21 = -j21 / det, k22 = j11 / det;
        Polynomial2 qu = fu.NonLinearPart(), qv = fv.NonLinearPart();
        var sip = new List<SipTerm>();
        for (int order = 2; order <= Math.Max(qu.Order, qv.Order); order++)
        {
            for (int p = order; p >= 0; p--)
            {
                int q = order - p;
                double cu = qu.Coefficient(p, q), cv = qv.Coefficient(p, q);
                double a = (k11 * cu) + (k12 * cv), b = (k21 * cu) + (k22 * cv);
                if (a != 0 || b != 0)
                {
                    sip.Add(new SipTerm(p, q, a, b));
                }
            }
        }

        // focal-plane pixels -> arcsec -> sky standard coordinates of the aperture's tangent plane
        (double s11, double s12, double s21, double s22) = detector.PlateScale();
        double pa = pointing.OrientationDeg * Deg;
        double m11 = -Math.Cos(pa), m12 = Math.Sin(pa), m21 = Math.Sin(pa), m22 = Math.Cos(pa);
        double ms11 = (m11 * s11) + (m12 * s21), ms12 = (m11 * s12) + (m12 * s22);
        double ms21 = (m21 * s11) + (m22 * s21), ms22 = (m21 * s12) + (m22 * s22);
        double x0 = fu.Coefficient(0, 0), y0 = fv.Coefficient(0, 0);
        double xi0 = ((ms11 * x0) + (ms12 * y0)) / 3600.0, eta0 = ((ms21 * x0) + (ms22 * y0)) / 3600.0;
        (double crval1, double crval2) = SkyMath.InverseGnomonic(pointing.Ra, pointing.Dec, xi0, eta0);

        // Jacobian of the chip's tangent plane with respect to the aperture's, at the chip centre.
        const double h = 1.0 / 3600.0;
        (double ra1, double de1) = SkyMath.InverseGnomonic(pointing.Ra, pointing.Dec, xi0 + h, eta0);
        (double ra2, double de2) = SkyMath.InverseGnomonic(pointing.Ra, pointing.Dec, xi0 - h, eta0);
        (double ra3, double de3) = SkyMath.InverseGnomonic(pointing.Ra, pointing.Dec, xi0, eta0 + h);
        (double ra4, double de4) = SkyMath.InverseGnomonic(pointing.Ra, pointing.Dec, xi0, eta0 - h);
        (double a1, double b1) = SkyMath.Gnomonic(crval1, crval2, ra1, de1);
        (double a2, double b2) = SkyMath.Gnomonic(crval1, crval2, ra2, de2);
        (double a3, double b3) = SkyMath.Gnomonic(crval1, crval2, ra3, de3);
        (double a4, double b4) = SkyMath.Gnomonic(crval1, crval2, ra4, de4);
        double t11 = (a1 - a2) / (2 * h), t21 = (b1 - b2) / (2 * h), t12 = (a3 - a4) / (2 * h), t22 = (b3 - b4) / (2 * h);

        double l11 = (ms11 * j11) + (ms12 * j21), l12 = (ms11 * j12) + (ms12 * j22);
        double l21 = (ms21 * j11) + (ms22 * j21), l22 = (ms21 * j12) + (ms22 * j22);
        var cd = new double[2, 2];
        cd[0, 0] = ((t11 * l11) + (t12 * l21)) / 3600.0;
        cd[0, 1] = ((t11 * l12) + (t12 * l22)) / 3600.0;
        cd[1, 0] = ((t21 * l11) + (t22 * l21)) / 3600.0;
        cd[1, 1] = ((t21 * l12) + (t22 * l22)) / 3600.0;
        return new TanSipModel((detector.ChipWidth + 1) / 2.0, (detector.ChipHeight + 1) / 2.0, crval1, crval2, cd, sip);
    }

    /// <summary>
    /// The pointing that puts the target at focal-plane position (PostArg1, PostArg2) arcsec, as an HST POS TARG does.
    /// </summary>
    /// <param name="targetRa">Target right ascension (degrees).</param>
    /// <param name="targetDec">Target declination (degrees).</param>
    /// <param name="orientationDeg">Detector orientation (degrees).</param>
    /// <param name="postArg1">POS TARG x (arcsec).</param>
    /// <param name="postArg2">POS TARG y (arcsec).</param>
    /// <returns>The pointing.</returns>
    public static Pointing PointingFor(double targetRa, double targetDec, double orientationDeg, double postArg1, double postArg2)
    {
        double pa = orientationDeg * Deg;
        double xi = ((-Math.Cos(pa) * postArg1) + (Math.Sin(pa) * postArg2)) / 3600.0;
        double eta = ((Math.Sin(pa) * postArg1) + (Math.Cos(pa) * postArg2)) / 3600.0;
        (double ra, double dec) = SkyMath.InverseGnomonic(targetRa, targetDec, -xi, -eta);
        return new Pointing(ra, dec, orientationDeg);
    }
}
