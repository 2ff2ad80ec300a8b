using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TweakDrizzle.Wcs;

/// <summary>
/// Two bivariate polynomials of the same maximum total degree evaluated together:
/// <c>f(u, v) = Σ F[p,q] u^p v^q</c> and <c>g(u, v) = Σ G[p,q] u^p v^q</c> with <c>p + q ≤ Order</c>.
/// </summary>
/// <remarks>
/// Coefficients are stored densely and interleaved (F then G for each (p, q)), row by row in p, so that one
/// Horner pass in u over Horner passes in v evaluates both. Immutable, thread-safe.
/// </remarks>
internal sealed class DualPolynomial
{
    private readonly double[] _c;

    /// <summary>Highest total degree.</summary>
    public int Order { get; }

    /// <summary>Builds the pair from two dense (order+1)×(order+1) coefficient tables indexed [p, q].</summary>
    public DualPolynomial(int order, double[,] f, double[,] g)
    {
        Order = order;
        int n = order + 1;
        _c = new double[2 * n * n];
        for (int p = 0; p <= order; p++)
        {
            for (int q = 0; q + p <= order; q++)
            {
                _c[2 * ((p * n) + q)] = f[p, q];
                _c[(2 * ((p * n) + q)) + 1] = g[p, q];
            }
        }
    }

    /// <summary>Evaluates both polynomials at (u, v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(double u, double v, out double f, out double g)
    {
        ref double c = ref MemoryMarshal.GetArrayDataReference(_c);
        int order = Order;
        int n = order + 1;
        double accF = 0, accG = 0;
        for (int p = order; p >= 0; p--)
        {
            ref double row = ref Unsafe.Add(ref c, 2 * p * n);
            double sF = 0, sG = 0;
            for (int q = order - p; q >= 0; q--)
            {
                sF = MulAdd(sF, v, Unsafe.Add(ref row, 2 * q));
                sG = MulAdd(sG, v, Unsafe.Add(ref row, (2 * q) + 1));
            }

            accF = MulAdd(accF, u, sF);
            accG = MulAdd(accG, u, sG);
        }

        f = accF;
        g = accG;
    }

    /// <summary>
    /// Evaluates both polynomials and their partial derivatives at (u, v) in one pass (Horner with derivative
    /// propagation): what a Newton step needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EvaluateWithGradient(
        double u, double v, out double f, out double g, out double fu, out double fv, out double gu, out double gv)
    {
        ref double c = ref MemoryMarshal.GetArrayDataReference(_c);
        int order = Order;
        int n = order + 1;
        double accF = 0, accG = 0, accFu = 0, accGu = 0, accFv = 0, accGv = 0;
        for (int p = order; p >= 0; p--)
        {
            ref double row = ref Unsafe.Add(ref c, 2 * p * n);
            double sF = 0, sG = 0, sFv = 0, sGv = 0;
            for (int q = order - p; q >= 0; q--)
            {
                sFv = MulAdd(sFv, v, sF);
                sGv = MulAdd(sGv, v, sG);
                sF = MulAdd(sF, v, Unsafe.Add(ref row, 2 * q));
                sG = MulAdd(sG, v, Unsafe.Add(ref row, (2 * q) + 1));
            }

            accFu = MulAdd(accFu, u, accF);
            accGu = MulAdd(accGu, u, accG);
            accF = MulAdd(accF, u, sF);
            accG = MulAdd(accG, u, sG);
            accFv = MulAdd(accFv, u, sFv);
            accGv = MulAdd(accGv, u, sGv);
        }

        (f, g, fu, fv, gu, gv) = (accF, accG, accFu, accFv, accGu, accGv);
    }

    /// <summary>
    /// Evaluates both polynomials at four points at once; each lane does exactly the operations of
    /// the scalar overload, so the results are bit-identical to four scalar calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(Vector256<double> u, Vector256<double> v, out Vector256<double> f, out Vector256<double> g)
    {
        ref double c = ref MemoryMarshal.GetArrayDataReference(_c);
        int order = Order;
        int n = order + 1;
        Vector256<double> accF = Vector256<double>.Zero, accG = Vector256<double>.Zero;
        for (int p = order; p >= 0; p--)
        {
            ref double row = ref Unsafe.Add(ref c, 2 * p * n);
            Vector256<double> sF = Vector256<double>.Zero, sG = Vector256<double>.Zero;
            for (int q = order - p; q >= 0; q--)
            {
                sF = MulAdd(sF, v, Vector256.Create(Unsafe.Add(ref row, 2 * q)));
                sG = MulAdd(sG, v, Vector256.Create(Unsafe.Add(ref row, (2 * q) + 1)));
            }

            accF = MulAdd(accF, u, sF);
            accG = MulAdd(accG, u, sG);
        }

        f = accF;
        g = accG;
    }

    /// <summary>Lane-wise <see cref="MulAdd(double, double, double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector256.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary><c>a·b + c</c>, fused where the hardware has it (one rounding, half the latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double MulAdd(double a, double b, double c) =>
        Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}
