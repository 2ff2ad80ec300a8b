namespace TweakDrizzle.SourceFinder;

/// <summary>
/// The good pixels of an image grouped by the top 16 bits of their order-preserving float key (a one-level radix
/// sort). Any value window is a contiguous run of buckets, so counts, sums and order statistics of a window cost
/// only the two partial edge buckets plus a walk over bucket totals. Built in fixed bands: deterministic.
/// </summary>
internal sealed class KeyBuckets
{
    private const int NBuckets = 1 << 16;
    private const int Bands = 16;

    private readonly float[] _values;     // good values, grouped by bucket (stable within a bucket)
    private readonly int[] _start;        // bucket b occupies [_start[b], _start[b + 1])
    private readonly double[] _sum;       // Σv per bucket
    private readonly double[] _sumSq;     // Σv² per bucket

    private KeyBuckets(float[] values, int[] start, double[] sum, double[] sumSq)
    {
        _values = values;
        _start = start;
        _sum = sum;
        _sumSq = sumSq;
    }

    /// <summary>Number of good values.</summary>
    public int Count => _values.Length;

    /// <summary>Order-preserving unsigned key of a finite float.</summary>
    public static uint Key(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
    }

    /// <summary>The float of a key.</summary>
    public static float FromKey(uint key)
    {
        uint bits = (key & 0x80000000u) != 0 ? key & 0x7FFFFFFFu : ~key;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>Smallest key whose float is ≥ <paramref name="lo"/>.</summary>
    public static uint KeyAtLeast(double lo)
    {
        if (double.IsNegativeInfinity(lo) || lo < -float.MaxValue)
        {
            return 0;
        }

        if (lo > float.MaxValue)
        {
            return uint.MaxValue;
        }

        float f = (float)lo;
        if (f < lo)
        {
            f = MathF.BitIncrement(f);
        }

        return Key(f == 0f ? -0f : f);
    }

    /// <summary>Largest key whose float is ≤ <paramref name="hi"/>.</summary>
    public static uint KeyAtMost(double hi)
    {
        if (double.IsPositiveInfinity(hi) || hi > float.MaxValue)
        {
            return uint.MaxValue;
        }

        if (hi < -float.MaxValue)
        {
            return 0;
        }

        float f = (float)hi;
        if (f > hi)
        {
            f = MathF.BitDecrement(f);
        }

        return Key(f == 0f ? 0f : f);
    }

    /// <summary>Groups the finite, unmasked pixels of <paramref name="data"/>.</summary>
    public static KeyBuckets Build(float[] data, bool[]? bad)
    {
        int n = data.Length;
        int bandLen = (n + Bands - 1) / Bands;
        var counts = new int[Bands][];
        Parallel.For(0, Bands, b =>
        {
            var h = new int[NBuckets];
            int i0 = b * bandLen, i1 = Math.Min(n, i0 + bandLen);
            for (int i = i0; i < i1; i++)
            {
                float v = data[i];
                if (float.IsFinite(v) && (bad is null || !bad[i]))
                {
                    h[Key(v) >> 16]++;
                }
            }

            counts[b] = h;
        });

        var start = new int[NBuckets + 1];
        var offsets = new int[Bands][];
        for (int b = 0; b < Bands; b++)
        {
            offsets[b] = new int[NBuckets];
        }

        int total = 0;
        for (int k = 0; k < NBuckets; k++)
        {
            start[k] = total;
            for (int b = 0; b < Bands; b++)
            {
                offsets[b][k] = total;
                total += counts[b][k];
            }
        }

        start[NBuckets] = total;
        var values = GC.AllocateUninitializedArray<float>(total);
        Parallel.For(0, Bands, b =>
        {
            int[] off = offsets[b];
            int i0 = b * bandLen, i1 = Math.Min(n, i0 + bandLen);
            for (int i = i0; i < i1; i++)
            {
                float v = data[i];
                if (float.IsFinite(v) && (bad is null || !bad[i]))
                {
                    values[off[Key(v) >> 16]++] = v;
                }
            }
        });

        var sum = new double[NBuckets];
        var sumSq = new double[NBuckets];
        const int chunk = 4096;
        Parallel.For(0, NBuckets / chunk, c =>
        {
            for (int k = c * chunk; k < (c + 1) * chunk; k++)
            {
                double s = 0, s2 = 0;
                for (int i = start[k]; i < start[k + 1]; i++)
                {
                    double v = values[i];
                    s += v;
                    s2 += v * v;
                }

                sum[k] = s;
                sumSq[k] = s2;
            }
        });
        return new KeyBuckets(values, start, sum, sumSq);
    }

    /// <summary>Count, Σ(v − shift) and Σ(v − shift)² of the values with keys in [klo, khi].</summary>
    public (long N, double Sum, double SumSq) Moments(uint klo, uint khi, double shift)
    {
        if (klo > khi)
        {
            return (0, 0, 0);
        }

        int blo = (int)(klo >> 16), bhi = (int)(khi >> 16);
        long n = 0;
        double s = 0, s2 = 0;
        for (int b = blo; b <= bhi; b++)
        {
            if ((b == blo && (klo & 0xFFFF) != 0) || (b == bhi && (khi & 0xFFFF) != 0xFFFF))
            {
                for (int i = _start[b]; i < _start[b + 1]; i++)
                {
                    uint k = Key(_values[i]);
                    if (k >= klo && k <= khi)
                    {
                        double d = _values[i] - shift;
                        n++;
                        s += d;
                        s2 += d * d;
                    }
                }
            }
            else
            {
                long c = _start[b + 1] - _start[b];
                if (c == 0)
                {
                    continue;
                }

                // Σ(v − t) = Σv − c·t and Σ(v − t)² = Σv² − 2tΣv + c·t²
                n += c;
                s += _sum[b] - (c * shift);
                s2 += _sumSq[b] - (2 * shift * _sum[b]) + (c * shift * shift);
            }
        }

        return (n, s, s2);
    }

    /// <summary>The k-th smallest (0-based) value among keys in [klo, khi].</summary>
    public float Select(uint klo, uint khi, long k)
    {
        int blo = (int)(klo >> 16), bhi = (int)(khi >> 16);
        long before = 0;
        for (int b = blo; b <= bhi; b++)
        {
            bool partial = (b == blo && (klo & 0xFFFF) != 0) || (b == bhi && (khi & 0xFFFF) != 0xFFFF);
            long c;
            float[]? inWindow = null;
            if (partial)
            {
                var list = new List<float>();
                for (int i = _start[b]; i < _start[b + 1]; i++)
                {
                    uint key = Key(_values[i]);
                    if (key >= klo && key <= khi)
                    {
                        list.Add(_values[i]);
                    }
                }

                inWindow = [.. list];
                c = inWindow.Length;
            }
            else
            {
                c = _start[b + 1] - _start[b];
            }

            if (k < before + c)
            {
                inWindow ??= _values.AsSpan(_start[b], (int)c).ToArray();
                return QuickSelect(inWindow, (int)(k - before));
            }

            before += c;
        }

        throw new InvalidOperationException("order statistic out of range");
    }

    /// <summary>Values with keys in [klo, khi] (for histograms of a window).</summary>
    public void ForEachInWindow(uint klo, uint khi, Action<float> action)
    {
        int blo = (int)(klo >> 16), bhi = (int)(khi >> 16);
        for (int i = _start[blo]; i < _start[bhi + 1]; i++)
        {
            uint key = Key(_values[i]);
            if (key >= klo && key <= khi)
            {
                action(_values[i]);
            }
        }
    }

    /// <summary>Smallest and largest value with keys in [klo, khi] (NaN when empty).</summary>
    public (float Min, float Max) Range(uint klo, uint khi)
    {
        float min = float.NaN, max = float.NaN;
        int blo = (int)(klo >> 16), bhi = (int)(khi >> 16);
        for (int b = blo; b <= bhi && float.IsNaN(min); b++)
        {
            for (int i = _start[b]; i < _start[b + 1]; i++)
            {
                uint key = Key(_values[i]);
                if (key >= klo && key <= khi && !(_values[i] >= min))
                {
                    min = _values[i];
                }
            }
        }

        for (int b = bhi; b >= blo && float.IsNaN(max); b--)
        {
            for (int i = _start[b]; i < _start[b + 1]; i++)
            {
                uint key = Key(_values[i]);
                if (key >= klo && key <= khi && !(_values[i] <= max))
                {
                    max = _values[i];
                }
            }
        }

        return (min, max);
    }

    /// <summary>Hoare quickselect (in place): the k-th smallest element.</summary>
    internal static float QuickSelect(Span<float> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (lo < hi)
        {
            float pivot = a[lo + ((hi - lo) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }
}
