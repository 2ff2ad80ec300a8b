namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Noise model of one chip for the cosmic-ray test, in the chip's own data units.</summary>
/// <param name="Sky">Sky subtracted from the chip, data units.</param>
/// <param name="ToElectrons">Electrons per data unit (gain, times the exposure time for rate data).</param>
/// <param name="ReadNoise">Read noise, electrons.</param>
public readonly record struct ChipNoise(double Sky, double ToElectrons, double ReadNoise);

/// <summary>
/// The tail search that follows AstroDrizzle's cosmic-ray rule (an extension; AstroDrizzle has no such step).
/// </summary>
/// <remarks>
/// <para>
/// AstroDrizzle's rule finds the bright cores of cosmic-ray tracks but leaves their faint edges: charge that
/// diffused into the neighbouring pixels, and the ends of tracks. The tail search grows the mask, one ring at a
/// time, into neighbours (8-connected) of flagged pixels whose excess over the blotted median,
/// data − blot (signed: a cosmic ray only adds charge), exceeds <see cref="Scale"/>·deriv + <see cref="Snr"/>·noise
/// (LA-Cosmic's <c>sigfrac</c> idea with AstroDrizzle's derivative term, which keeps stars unflagged), for at most
/// <see cref="Iterations"/> rings. Charge below the noise cannot be seen pixel by pixel; with <see cref="Edge"/> the
/// final mask is also grown by the 4 direct neighbours (a plus-shaped dilation, where charge diffusion puts it) of
/// its pixels that exceed <see cref="EdgeSnr"/>·noise.
/// </para>
/// </remarks>
public sealed record CosmicRayTail
{
    /// <summary>Threshold of the tail test, in sigmas of the pixel's noise (default 1.5).</summary>
    public double Snr { get; init; } = 1.5;

    /// <summary>Derivative scale of the tail test (default 0.7, AstroDrizzle's second-pass scale).</summary>
    public double Scale { get; init; } = 0.7;

    /// <summary>Largest number of rings the mask is grown by (default 4; 0 switches the test off).</summary>
    public int Iterations { get; init; } = 4;

    /// <summary>Finally add the 4 direct neighbours of every flagged pixel (default true).</summary>
    public bool Edge { get; init; } = true;

    /// <summary>
    /// Only flagged pixels whose excess exceeds this many sigmas (the bright parts of tracks, whose diffused charge
    /// is worth finding) seed the <see cref="Edge"/> growth (default 10).
    /// </summary>
    public double EdgeSnr { get; init; } = 10;
}

/// <summary>
/// AstroDrizzle's cosmic-ray test (driz_cr): a pixel is a cosmic ray when
/// |data − blot| &gt; scale·deriv + SNR·noise, with the first (scale, SNR) pair, or, for the neighbours of
/// first-pass hits, with the second pair; optionally followed by the <see cref="CosmicRayTail"/> search; the mask
/// is then grown by driz_cr_grow.
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
        ChipNoise noise, (double First, double Second) snr, (double First, double Second) scale, int grow = 1) =>
        Detect(data, blot, usable, width, height, noise, snr, scale, grow, null);

    /// <summary>Detects cosmic rays on one chip with the options of an <see cref="AstroDrizzle"/> run.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="blot">Blotted median, same units, sky-free.</param>
    /// <param name="usable">Pixels to test (good and covered by the median); others are never flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model.</param>
    /// <param name="options">driz_cr_snr, driz_cr_scale, driz_cr_grow and the tail search (<see cref="AstroDrizzleOptions.DrizCrTail"/>).</param>
    /// <returns>True where a cosmic ray was found.</returns>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<float> blot, ReadOnlySpan<bool> usable, int width, int height,
        ChipNoise noise, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Detect(data, blot, usable, width, height, noise, options.DrizCrSnr, options.DrizCrScale, options.DrizCrGrow, options.DrizCrTail);
    }

    /// <summary>Detects cosmic rays on one chip, with the tail search.</summary>
    /// <param name="data">Sky-subtracted chip data (data units).</param>
    /// <param name="blot">Blotted median, same units, sky-free.</param>
    /// <param name="usable">Pixels to test (good and covered by the median); others are never flagged.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="noise">Noise model.</param>
    /// <param name="snr">driz_cr_snr pair.</param>
    /// <param name="scale">driz_cr_scale pair.</param>
    /// <param name="grow">driz_cr_grow (box size, 1 = none).</param>
    /// <param name="tail">The tail search, or null for AstroDrizzle's rule alone.</param>
    /// <returns>True where a cosmic ray was found.</returns>
    public static bool[] Detect(ReadOnlySpan<float> data, ReadOnlySpan<float> blot, ReadOnlySpan<bool> usable, int width, int height,
        ChipNoise noise, (double First, double Second) snr, (double First, double Second) scale, int grow, CosmicRayTail? tail)
    {
        int n = width * height;
        if (data.Length != n || blot.Length != n || usable.Length != n)
        {
            throw new CombineException("cosmic-ray detection: arrays of different sizes");
        }

        if (tail is not null && (tail.Iterations < 0 || !double.IsFinite(tail.Snr) || !double.IsFinite(tail.Scale) || double.IsNaN(tail.EdgeSnr)))
        {
            throw new CombineException("cosmic-ray tail search: the iterations must be >= 0 and the thresholds finite");
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
                diff[k] = (float)(data[k] - b);
                sig[k] = (float)(Math.Sqrt((Math.Abs(b + noise.Sky) * g) + rn2) / g);
            }
        }

        var first = new bool[n];
        for (int k = 0; k < n; k++)
        {
            first[k] = usable[k] && Math.Abs(diff[k]) > (scale.First * deriv[k]) + (snr.First * sig[k]);
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

                mask[k] = Math.Abs(diff[k]) > (scale.Second * deriv[k]) + (snr.Second * sig[k]);
            }
        }

        if (tail is not null)
        {
            GrowTails(mask, diff, deriv, sig, usable, width, height, tail);
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

    private static void GrowTails(bool[] mask, float[] diff, float[] deriv, float[] sig, ReadOnlySpan<bool> usable, int width, int height, CosmicRayTail tail)
    {
        // Ring by ring from the current mask: a ring is collected in full before it is added, so the result does not
        // depend on the scan order.
        var frontier = new List<int>();
        for (int k = 0; k < mask.Length; k++)
        {
            if (mask[k])
            {
                frontier.Add(k);
            }
        }

        var ring = new List<int>();
        var queued = new bool[mask.Length];
        for (int it = 0; it < tail.Iterations && frontier.Count > 0; it++)
        {
            ring.Clear();
            foreach (int k in frontier)
            {
                int x = k % width, y = k / width;
                for (int j = Math.Max(0, y - 1); j <= Math.Min(height - 1, y + 1); j++)
                {
                    for (int i = Math.Max(0, x - 1); i <= Math.Min(width - 1, x + 1); i++)
                    {
                        int q = (j * width) + i;
                        if (mask[q] || queued[q] || !usable[q])
                        {
                            continue;
                        }

                        if (diff[q] > (tail.Scale * deriv[q]) + (tail.Snr * sig[q]))
                        {
                            queued[q] = true;
                            ring.Add(q);
                        }
                    }
                }
            }

            foreach (int q in ring)
            {
                mask[q] = true;
            }

            (frontier, ring) = (ring, frontier);
        }

        if (!tail.Edge)
        {
            return;
        }

        var edge = new List<int>();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int k = (y * width) + x;
                if (mask[k] || !usable[k])
                {
                    continue;
                }

                if ((x > 0 && Seed(k - 1)) || (x < width - 1 && Seed(k + 1)) || (y > 0 && Seed(k - width)) || (y < height - 1 && Seed(k + width)))
                {
                    edge.Add(k);
                }
            }
        }

        foreach (int k in edge)
        {
            mask[k] = true;
        }

        // Edge seeds: flagged pixels whose excess is a clear detection (the cores and bright parts of the tracks).
        bool Seed(int k) => mask[k] && diff[k] > tail.EdgeSnr * sig[k];
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
