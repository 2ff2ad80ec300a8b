namespace TweakDrizzle.Wcs;

/// <summary>Small helpers on the celestial sphere.</summary>
public static class SphericalGeometry
{
    private const double D2R = Math.PI / 180.0;

    /// <summary>
    /// The angular distance between two points, degrees, by the Vincenty formula (accurate at every separation,
    /// including a few micro-arcseconds and 180°).
    /// </summary>
    /// <param name="ra1">First right ascension, degrees.</param>
    /// <param name="dec1">First declination, degrees.</param>
    /// <param name="ra2">Second right ascension, degrees.</param>
    /// <param name="dec2">Second declination, degrees.</param>
    public static double SeparationDegrees(double ra1, double dec1, double ra2, double dec2)
    {
        (double sdl, double cdl) = Math.SinCos((ra2 - ra1) * D2R);
        (double s1, double c1) = Math.SinCos(dec1 * D2R);
        (double s2, double c2) = Math.SinCos(dec2 * D2R);
        double num1 = c2 * sdl;
        double num2 = (c1 * s2) - (s1 * c2 * cdl);
        double den = (s1 * s2) + (c1 * c2 * cdl);
        return Math.Atan2(Math.Sqrt((num1 * num1) + (num2 * num2)), den) / D2R;
    }

    /// <summary>Wraps a longitude into [0, 360).</summary>
    /// <param name="degrees">Longitude, degrees.</param>
    public static double NormalizeLongitude(double degrees)
    {
        double r = degrees % 360.0;
        if (r < 0)
        {
            r += 360.0;
        }

        return r >= 360.0 ? 0.0 : r;
    }
}
