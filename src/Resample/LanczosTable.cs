namespace TweakDrizzle.Resample;

/// <summary>Lanczos look-up tables with drizzle's spacing (0.003 px), built once per order.</summary>
internal static class LanczosTable
{
    /// <summary>Spacing of the table in pixels.</summary>
    public const double Delta = 0.003;

    private static readonly double[] Order2 = Build(2);
    private static readonly double[] Order3 = Build(3);
    private static readonly double[] Order5 = Build(5);

    /// <summary>The table of sinc(pi x) sinc(pi x / n) at x = k * 0.003, k = 0 .. ceil(n / 0.003).</summary>
    public static double[] Get(int order) => order switch
    {
        2 => Order2,
        3 => Order3,
        5 => Order5,
        _ => Build(order),
    };

    private static double[] Build(int order)
    {
        int n = (int)Math.Ceiling(order / Delta) + 1;
        var lut = new double[n];
        lut[0] = 1.0;
        for (int k = 1; k < n; k++)
        {
            double poff = Math.PI * k * Delta;
            if (poff < Math.PI * order)
            {
                double pn = poff / order;
                lut[k] = Math.Sin(poff) / poff * Math.Sin(pn) / pn;
            }
        }

        return lut;
    }
}
