namespace TweakDrizzle.Simulation;

/// <summary>Spherical helpers: the gnomonic projection and small rotations on the sky.</summary>
public static class SkyMath
{
    private const double Deg = Math.PI / 180.0;

    /// <summary>Standard coordinates (ξ east, η north; degrees) of a sky position about a tangent point.</summary>
    /// <param name="ra0">Tangent point right ascension (degrees).</param>
    /// <param name="dec0">Tangent point declination (degrees).</param>
    /// <param name="ra">Right ascension (degrees).</param>
    /// <param name="dec">Declination (degrees).</param>
    /// <returns>(ξ, η) in degrees; NaN on the far hemisphere.</returns>
    public static (double Xi, double Eta) Gnomonic(double ra0, double dec0, double ra, double dec)
    {
        double d0 = dec0 * Deg, d = dec * Deg, da = (ra - ra0) * Deg;
        double sd = Math.Sin(d), cd = Math.Cos(d), sd0 = Math.Sin(d0), cd0 = Math.Cos(d0);
        double cda = Math.Cos(da);
        double den = (sd * sd0) + (cd * cd0 * cda);
        if (den <= 0)
        {
            return (double.NaN, double.NaN);
        }

        double xi = cd * Math.Sin(da) / den;
        double eta = ((sd * cd0) - (cd * sd0 * cda)) / den;
        return (xi / Deg, eta / Deg);
    }

    /// <summary>The sky position of standard coordinates (ξ, η) about a tangent point.</summary>
    /// <param name="ra0">Tangent point right ascension (degrees).</param>
    /// <param name="dec0">Tangent point declination (degrees).</param>
    /// <param name="xi">ξ, eastward (degrees).</param>
    /// <param name="eta">η, northward (degrees).</param>
    /// <returns>(ra, dec) in degrees, ra in [0, 360).</returns>
    public static (double Ra, double Dec) InverseGnomonic(double ra0, double dec0, double xi, double eta)
    {
        double x = xi * Deg, y = eta * Deg, d0 = dec0 * Deg;
        double sd0 = Math.Sin(d0), cd0 = Math.Cos(d0);
        double den = cd0 - (y * sd0);
        double ra = (ra0 * Deg) + Math.Atan2(x, den);
        double dec = Math.Atan2((sd0 + (y * cd0)) * Math.Cos(ra - (ra0 * Deg)), den);
        double raDeg = ra / Deg % 360.0;
        if (raDeg < 0)
        {
            raDeg += 360.0;
        }

        return (raDeg, dec / Deg);
    }

    /// <summary>Angular separation of two sky positions (degrees), by the haversine formula.</summary>
    /// <param name="ra1">First right ascension (degrees).</param>
    /// <param name="dec1">First declination (degrees).</param>
    /// <param name="ra2">Second right ascension (degrees).</param>
    /// <param name="dec2">Second declination (degrees).</param>
    /// <returns>The separation in degrees.</returns>
    public static double Separation(double ra1, double dec1, double ra2, double dec2)
    {
        double d1 = dec1 * Deg, d2 = dec2 * Deg;
        double sdd = Math.Sin((d2 - d1) / 2), sda = Math.Sin((ra2 - ra1) * Deg / 2);
        double h = (sdd * sdd) + (Math.Cos(d1) * Math.Cos(d2) * sda * sda);
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(h))) / Deg;
    }
}
