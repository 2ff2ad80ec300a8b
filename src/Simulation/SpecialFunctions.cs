namespace TweakDrizzle.Simulation;

/// <summary>Special functions the simulator needs, written out so results do not depend on a library.</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    private static readonly double[] LogFactorialTable = BuildLogFactorials();

    /// <summary>The error function, accurate to about 1e-15 absolute.</summary>
    public static double Erf(double x)
    {
        if (x < 0)
        {
            return -Erf(-x);
        }

        return x < 2.5 ? ErfSeries(x) : 1.0 - ErfcContinuedFraction(x);
    }

    /// <summary>The complementary error function 1 - erf(x), with full relative accuracy in the tail.</summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2.0 - Erfc(-x);
        }

        return x < 2.5 ? 1.0 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    /// <summary>
    /// The integral of a unit-area Gaussian of width sigma (centred at 0) from <paramref name="a"/> to
    /// <paramref name="b"/>, computed without cancellation in the tails.
    /// </summary>
    public static double GaussianInterval(double a, double b, double sigma)
    {
        double s = 1.0 / (sigma * Math.Sqrt(2.0));
        double ta = a * s, tb = b * s;
        if (ta >= 0)
        {
            return 0.5 * (Erfc(ta) - Erfc(tb));
        }

        if (tb <= 0)
        {
            return 0.5 * (Erfc(-tb) - Erfc(-ta));
        }

        return 0.5 * (Erf(tb) - Erf(ta));
    }

    /// <summary>ln(k!) for a non-negative integer-valued k (table up to 255, Stirling series beyond).</summary>
    public static double LogFactorial(double k)
    {
        if (k < LogFactorialTable.Length)
        {
            return LogFactorialTable[(int)k];
        }

        double n = k + 1;
        double inv = 1.0 / n;
        double inv2 = inv * inv;
        return ((n - 0.5) * Math.Log(n)) - n + (0.5 * Math.Log(2 * Math.PI))
            + (inv * ((1.0 / 12) - (inv2 * ((1.0 / 360) - (inv2 * ((1.0 / 1260) - (inv2 / 1680)))))));
    }

    private static double ErfSeries(double x)
    {
        // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)); all terms positive.
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= 2.0 * x2 / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    private static double ErfcContinuedFraction(double x)
    {
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), modified Lentz.
        const double Tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++)
        {
            double an = n * 0.5;
            d = x + (an * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (an / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / (f * Math.Sqrt(Math.PI));
    }

    private static double[] BuildLogFactorials()
    {
        var t = new double[256];
        for (int i = 2; i < t.Length; i++)
        {
            t[i] = t[i - 1] + Math.Log(i);
        }

        return t;
    }
}
