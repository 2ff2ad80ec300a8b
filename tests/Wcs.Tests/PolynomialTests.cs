namespace TweakDrizzle.Wcs.Tests;

public class PolynomialTests
{
    [Fact]
    public void Value_and_gradient_in_one_pass_match_direct_sums()
    {
        var rng = new Random(7);
        for (int order = 0; order <= 7; order++)
        {
            var f = new double[order + 1, order + 1];
            var g = new double[order + 1, order + 1];
            for (int p = 0; p <= order; p++)
            {
                for (int q = 0; p + q <= order; q++)
                {
                    f[p, q] = rng.NextDouble() - 0.5;
                    g[p, q] = rng.NextDouble() - 0.5;
                }
            }

            var poly = new DualPolynomial(order, f, g);
            for (int i = 0; i < 20; i++)
            {
                double u = (rng.NextDouble() * 4) - 2, v = (rng.NextDouble() * 4) - 2;
                poly.EvaluateWithGradient(u, v, out double f0, out double g0, out double fu, out double fv, out double gu, out double gv);
                poly.Evaluate(u, v, out double f1, out double g1);
                Assert.Equal(f1, f0);
                Assert.Equal(g1, g0);
                double direct = 0, fu1 = 0, fv1 = 0, gu1 = 0, gv1 = 0;
                for (int p = 0; p <= order; p++)
                {
                    for (int q = 0; p + q <= order; q++)
                    {
                        direct += f[p, q] * Math.Pow(u, p) * Math.Pow(v, q);
                        fu1 += p == 0 ? 0 : p * f[p, q] * Math.Pow(u, p - 1) * Math.Pow(v, q);
                        fv1 += q == 0 ? 0 : q * f[p, q] * Math.Pow(u, p) * Math.Pow(v, q - 1);
                        gu1 += p == 0 ? 0 : p * g[p, q] * Math.Pow(u, p - 1) * Math.Pow(v, q);
                        gv1 += q == 0 ? 0 : q * g[p, q] * Math.Pow(u, p) * Math.Pow(v, q - 1);
                    }
                }

                Assert.Equal(direct, f0, 10);
                Assert.Equal(fu1, fu, 10);
                Assert.Equal(fv1, fv, 10);
                Assert.Equal(gu1, gu, 10);
                Assert.Equal(gv1, gv, 10);
            }
        }
    }
}

public class DistortionInverseTests
{
    public static TheoryData<string> Sip() => ["sip2_wfc_apbp", "sip4_wfc_apbp", "sip4_wfc_noinv", "sip5_jwst", "sip3_ra_wrap"];

    [Theory]
    [MemberData(nameof(Sip))]
    public void Sip_inverse_recovers_the_pixel_offsets_to_1e_10_px(string name)
    {
        SipDistortion sip = Fixtures.Load(name).Sip!;
        var rng = new Random(11);
        for (int i = 0; i < 500; i++)
        {
            double u = (rng.NextDouble() * 4400) - 2200, v = (rng.NextDouble() * 2400) - 1200;
            (double f, double g) = sip.Forward(u, v);
            (double bu, double bv) = sip.Inverse(u + f, v + g);
            Assert.True(Math.Abs(bu - u) < 1e-10 && Math.Abs(bv - v) < 1e-10, $"{name}: ({u}, {v}) -> ({bu}, {bv})");
        }
    }

    [Fact]
    public void Tpv_inverse_recovers_the_intermediate_coordinates()
    {
        TpvDistortion tpv = Fixtures.Load("tpv3").Tpv!;
        var rng = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            double x = (rng.NextDouble() * 1.2) - 0.1, y = (rng.NextDouble() * 0.6) - 0.3;
            (double xi, double eta) = tpv.Forward(x, y);
            (double bx, double by) = tpv.Inverse(xi, eta);
            Assert.True(Math.Abs(bx - x) < 1e-14 && Math.Abs(by - y) < 1e-14, $"({x}, {y}) -> ({bx}, {by})");
        }
    }
}
