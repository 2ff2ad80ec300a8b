namespace TweakDrizzle.Simulation;

/// <summary>
/// A small, fully specified pseudo-random generator (xoshiro256** seeded through SplitMix64) so that
/// simulated data are bit-identical on every platform and runtime version.
/// </summary>
/// <remarks>
/// Independent streams are derived from a seed and a list of integer labels
/// (<see cref="ForStream(ulong, long, long, long, long)"/>): every tile, chip and exposure draws from its own
/// stream, so results never depend on the order in which parallel work runs. An instance is not thread-safe.
/// </remarks>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;
    private double _ptrsMean = double.NaN, _ptrsLogLam, _ptrsB, _ptrsA, _ptrsInvAlpha, _ptrsVr;

    /// <summary>Creates a generator whose state is expanded from <paramref name="seed"/> with SplitMix64.</summary>
    /// <param name="seed">Any 64-bit seed.</param>
    public SimRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1;
        }
    }

    /// <summary>Creates the generator of one labelled stream: the same seed and labels always give the same stream.</summary>
    /// <param name="seed">The data-set seed.</param>
    /// <param name="a">First label (for example a purpose code).</param>
    /// <param name="b">Second label (for example an exposure index).</param>
    /// <param name="c">Third label (for example a chip index).</param>
    /// <param name="d">Fourth label (for example a tile index).</param>
    /// <returns>A new generator.</returns>
    public static SimRandom ForStream(ulong seed, long a, long b = 0, long c = 0, long d = 0)
    {
        ulong h = seed ^ 0x6A09E667F3BCC908UL;
        h = Mix(h ^ (ulong)a);
        h = Mix(h + 0x9E3779B97F4A7C15UL ^ (ulong)b);
        h = Mix(h + 0xBB67AE8584CAA73BUL ^ (ulong)c);
        h = Mix(h + 0x3C6EF372FE94F82BUL ^ (ulong)d);
        return new SimRandom(h);
    }

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    /// <returns>A uniformly distributed 64-bit integer.</returns>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The number.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A uniform double in (0, 1): never exactly zero, safe for logarithms.</summary>
    /// <returns>The number.</returns>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <returns>The number.</returns>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>A uniform integer in [0, <paramref name="n"/>) (Lemire's unbiased multiply-shift).</summary>
    /// <param name="n">Exclusive upper bound, at least 1.</param>
    /// <returns>The integer.</returns>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ulong range = (ulong)n;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * range;
            ulong low = (ulong)m;
            if (low >= range || low >= (0UL - range) % range)
            {
                return (int)(ulong)(m >> 64);
            }
        }
    }

    /// <summary>A standard normal deviate (Marsaglia's polar method).</summary>
    /// <returns>The deviate.</returns>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareGaussian = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>An exponential deviate with unit mean.</summary>
    /// <returns>The deviate.</returns>
    public double NextExponential() => -Math.Log(NextOpenDouble());

    /// <summary>
    /// A Poisson deviate of mean <paramref name="mean"/>: inversion by sequential search below 12,
    /// Hörmann's transformed rejection (PTRS, 1993) above.
    /// </summary>
    /// <param name="mean">The mean; zero or negative gives 0.</param>
    /// <returns>The count, as a double (large means stay exact up to 2^53).</returns>
    public double NextPoisson(double mean)
    {
        if (!(mean > 0))
        {
            return 0;
        }

        if (mean < 12)
        {
            double p = Math.Exp(-mean);
            double u = NextDouble();
            double k = 0;
            double cdf = p;
            while (u > cdf)
            {
                k++;
                p *= mean / k;
                cdf += p;
                if (p < 1e-300 && cdf >= u - 1e-15)
                {
                    break;
                }
            }

            return k;
        }

        if (mean > 1e12)
        {
            return Math.Round(mean + (Math.Sqrt(mean) * NextGaussian()));
        }

        if (mean != _ptrsMean)
        {
            // The set-up depends on the mean only; pixels of plain sky share it, so keep the last one.
            double slam = Math.Sqrt(mean);
            _ptrsLogLam = Math.Log(mean);
            _ptrsB = 0.931 + (2.53 * slam);
            _ptrsA = -0.059 + (0.02483 * _ptrsB);
            _ptrsInvAlpha = 1.1239 + (1.1328 / (_ptrsB - 3.4));
            _ptrsVr = 0.9277 - (3.6224 / (_ptrsB - 2));
            _ptrsMean = mean;
        }

        double logLam = _ptrsLogLam, b = _ptrsB, a = _ptrsA, invAlpha = _ptrsInvAlpha, vr = _ptrsVr;
        while (true)
        {
            double u = NextDouble() - 0.5;
            double v = NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((((2 * a / us) + b) * u) + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            double lhs = Math.Log(v * invAlpha / ((a / (us * us)) + b));
            double rhs = -mean + (k * logLam) - SpecialFunctions.LogFactorial(k);
            if (lhs <= rhs)
            {
                return k;
            }
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
