namespace TweakDrizzle.Simulation;

/// <summary>A bivariate polynomial sum c[p,q] u^p v^q, used to build SIP distortion exactly.</summary>
internal sealed class Polynomial2
{
    public Polynomial2(int order)
    {
        Order = order;
        C = new double[order + 1, order + 1];
    }

    public int Order { get; }

    /// <summary>Coefficients indexed [p, q] (power of u, power of v); entries with p+q &gt; Order are zero.</summary>
    public double[,] C { get; }

    public static Polynomial2 Constant(double c)
    {
        var p = new Polynomial2(0);
        p.C[0, 0] = c;
        return p;
    }

    /// <summary>The affine polynomial c0 + cu u + cv v.</summary>
    public static Polynomial2 Affine(double c0, double cu, double cv)
    {
        var p = new Polynomial2(1);
        p.C[0, 0] = c0;
        p.C[1, 0] = cu;
        p.C[0, 1] = cv;
        return p;
    }

    public double Evaluate(double u, double v)
    {
        double sum = 0;
        double up = 1;
        for (int p = 0; p <= Order; p++)
        {
            double vq = 1;
            for (int q = 0; q + p <= Order; q++)
            {
                sum += C[p, q] * up * vq;
                vq *= v;
            }

            up *= u;
        }

        return sum;
    }

    public Polynomial2 Add(Polynomial2 other, double factor = 1.0)
    {
        var r = new Polynomial2(Math.Max(Order, other.Order));
        for (int p = 0; p <= Order; p++)
        {
            for (int q = 0; p + q <= Order; q++)
            {
                r.C[p, q] += C[p, q];
            }
        }

        for (int p = 0; p <= other.Order; p++)
        {
            for (int q = 0; p + q <= other.Order; q++)
            {
                r.C[p, q] += factor * other.C[p, q];
            }
        }

        return r;
    }

    public Polynomial2 Multiply(Polynomial2 other)
    {
        var r = new Polynomial2(Order + other.Order);
        for (int p = 0; p <= Order; p++)
        {
            for (int q = 0; p + q <= Order; q++)
            {
                if (C[p, q] == 0)
                {
                    continue;
                }

                for (int r1 = 0; r1 <= other.Order; r1++)
                {
                    for (int s = 0; r1 + s <= other.Order; s++)
                    {
                        r.C[p + r1, q + s] += C[p, q] * other.C[r1, s];
                    }
                }
            }
        }

        return r;
    }

    /// <summary>This polynomial with u and v replaced by the polynomials <paramref name="su"/> and <paramref name="sv"/>.</summary>
    public Polynomial2 Substitute(Polynomial2 su, Polynomial2 sv)
    {
        var result = Constant(0);
        var uPow = Constant(1);
        for (int p = 0; p <= Order; p++)
        {
            var vPow = Constant(1);
            for (int q = 0; p + q <= Order; q++)
            {
                if (C[p, q] != 0)
                {
                    var term = uPow.Multiply(vPow);
                    result = result.Add(term, C[p, q]);
                }

                vPow = vPow.Multiply(sv);
            }

            uPow = uPow.Multiply(su);
        }

        return result;
    }

    /// <summary>A copy without the constant and linear terms.</summary>
    public Polynomial2 NonLinearPart()
    {
        var r = new Polynomial2(Order);
        for (int p = 0; p <= Order; p++)
        {
            for (int q = 0; p + q <= Order; q++)
            {
                if (p + q >= 2)
                {
                    r.C[p, q] = C[p, q];
                }
            }
        }

        return r;
    }

    public double Coefficient(int p, int q) => p <= Order && q <= Order && p + q <= Order ? C[p, q] : 0.0;
}
