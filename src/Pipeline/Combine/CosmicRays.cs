namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Noise model of one chip for the cosmic-ray test, in the chip's own data units.</summary>
/// <param name="Sky">Sky subtracted from the chip, data units.</param>
/// <param name="ToElectrons">Electrons per data unit (gain, times the exposure time for rate data).</param>
/// <param name="ReadNoise">Read noise, electrons.</param>
public readonly record struct ChipNoise(double Sky, double ToElectrons, double ReadNoise);

/// <summary>
/// AstroDrizzle's cosmic-ray test (driz_cr): a pixel is a cosmic ray when
/// |data − blot| &gt; scale·deriv + SNR·noise, with the first (scale, SNR) pair, or, for the neighbours of
/// first-pass hits, with the second pair; the mask is then grown by driz_cr_grow.
/// </summary>
public static class CosmicRayDetector
{
    /// <summary>Detects cosmic rays on one chip.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="blot">Blotted median, same units, sky-free.</param>
    /// <param name="usable">Pixels to test (good and covered by the median); others are never flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model.</param>
    /// <param name="snr">driz_cr_snr pair.</param>
    /// <param name="scale">driz_cr_scale pair.</param>
    /// <param name="grow">driz_cr_grow (box size, 1 = none).</param>
    /// <returns>True where a cosmic ray was found.</returns>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<float> blot, ReadOnlySpan<bool> usable, int width, int height,
        ChipNoise noise, (double First, double Second) snr, (double First, double Second) scale, int grow = 1)
    {
        int n = width * height;
        if (data.Length != n || blot.Length != n || usable.Length != n)
        {
            throw new CombineException("cosmic-ray detection: arrays of different sizes");
        }

        double g = noise.ToElectrons > 0 ? noise.ToElectrons : 1.0;
        double rn2 = noise.ReadNoise * noise.ReadNoise;
        var diff = new float[n];
        var deriv = new float[n];
        var sig = new float[n];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int k = (y * width) + x;
                double b = blot[k];
                double d = 0;
                if (x > 0) { d = Math.Max(d, Math.Abs(b - blot[k - 1])); }
                if (x < width - 1) { d = Math.Max(d, Math.Abs(b - blot[k + 1])); }
                if (y > 0) { d = Math.Max(d, Math.Abs(b - blot[k - width])); }
                if (y < height - 1) { d = Math.Max(d, Math.Abs(b - blot[k + width])); }
                deriv[k] = (float)d;
                diff[k] = (float)Math.Abs(data[k] - b);
                sig[k] = (float)(Math.Sqrt((Math.Abs(b + noise.Sky) * g) + rn2) / g);
            }
        }

        var first = new bool[n];
        for (int k = 0; k < n; k++)
        {
            first[k] = usable[k] && diff[k] > (scale.First * deriv[k]) + (snr.First * sig[k]);
        }

        var mask = new bool[n];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int k = (y * width) + x;
                if (!usable[k] || !NearHit(first, width, height, x, y, 1))
                {
                    continue;
                }

                mask[k] = diff[k] > (scale.Second * deriv[k]) + (snr.Second * sig[k]);
            }
        }

        return grow > 1 ? Grow(mask, width, height, grow / 2) : mask;
    }

    /// <summary>Grows a mask by a square box of half-size <paramref name="radius"/>.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="radius">Half-size of the box.</param>
    /// <returns>A new mask.</returns>
    public static bool[] Grow(bool[] mask, int width, int height, int radius)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var result = new bool[mask.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                result[(y * width) + x] = NearHit(mask, width, height, x, y, radius);
            }
        }

        return result;
    }

    private static bool NearHit(bool[] mask, int width, int height, int x, int y, int r)
    {
        int y0 = Math.Max(0, y - r), y1 = Math.Min(height - 1, y + r);
        int x0 = Math.Max(0, x - r), x1 = Math.Min(width - 1, x + r);
        for (int j = y0; j <= y1; j++)
        {
            int row = j * width;
            for (int i = x0; i <= x1; i++)
            {
                if (mask[row + i])
                {
                    return true;
                }
            }
        }

        return false;
    }
}
