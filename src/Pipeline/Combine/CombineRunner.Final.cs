using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>The final drizzle: output tiles of whole rows, each written into the product as soon as it is done.</summary>
internal sealed partial class CombineRunner
{
    private HoleFill? _holeFill; // crsky: hole filling (HoleFill.cs)

    /// <summary>
    /// Drizzles every chip onto the grid tile by tile. For each tile, each chip whose footprint reaches it is drizzled
    /// over the input bands that reach it (whole <see cref="Drizzle.BandHeight"/>-row bands, so the order of
    /// contributions, and with it every output bit, is the same as for one big tile), with its own context id.
    /// </summary>
    /// <returns>The number of tiles.</returns>
    private int FinalDrizzle(List<ChipWork> chips, OutputGrid grid, string productPath)
    {
        int width = grid.Width, height = grid.Height;
        int planes = ((chips.Count - 1) / 32) + 1;
        int variancePlanes = options.FinalErr ? 1 : 0;
        long perRow = (long)width * sizeof(float) * (2 + planes + variancePlanes + (options.FinalHolePixfrac is null ? 0 : 2 + variancePlanes)); // crsky: + the hole fill's SCI, WHT (and variance)
        int tileRows = options.TileRows ?? (int)Math.Clamp(MemoryBudgetBytes / 2 / perRow, 1, height);
        tileRows = Math.Min(tileRows, height);
        int tiles = (height + tileRows - 1) / tileRows;
        Log(string.Create(CultureInfo.InvariantCulture,
            $"final drizzle: kernel {DrizzleKernels.Name(options.FinalKernel)}, pixfrac {options.FinalPixfrac}, weights {options.FinalWhtType.ToString().ToUpperInvariant()}, bits {options.FinalBits}, {tiles} tile(s) of {tileRows} rows"));

        (Dictionary<ChipWork, PixmapPlan> plans, Dictionary<ChipWork, ChipFootprint> footprints) = PlanPixmaps(chips, grid);

        double texp = chips.Select(c => c.Input).Distinct().Sum(i => i.ExposureTime);
        var inputsForHeader = chips.Select(c => (c.Name, c.Input.ExposureTime, Weight(c))).ToList();
        _holeFill = new HoleFill(grid, options, chips.Select(c => c.Geometry).ToList()); // crsky
        using FitsStreamWriter product = ProductWriter.Create(productPath, grid, planes, texp, inputsForHeader, options);
        float[] sci = [], wht = [];
        float[]? variance = null;
        var ctx = new List<int[]>();
        long done = 0, total = (long)tiles * chips.Count;
        for (int ty0 = 0; ty0 < height; ty0 += tileRows)
        {
            int th = Math.Min(tileRows, height - ty0);
            long n = (long)th * width;
            if (sci.LongLength != n)
            {
                sci = new float[n];
                wht = new float[n];
                variance = options.FinalErr ? new float[n] : null;
                ctx.Clear();
                for (int p = 0; p < planes; p++)
                {
                    ctx.Add(new int[n]);
                }
            }
            else
            {
                Array.Clear(sci);
                Array.Clear(wht);
                if (variance is not null)
                {
                    Array.Clear(variance);
                }

                ctx.ForEach(p => Array.Clear(p));
            }

            double tileExptime = 0;
            _holeFill.BeginTile(ty0, th); // crsky
            for (int id = 0; id < chips.Count; id++)
            {
                ChipWork c = chips[id];
                double psr = grid.ScaleArcsec / c.NativeScale;
                (int First, int Last)? rows = footprints[c].RowsReaching(ty0, ty0 + th - 1, WindowMargin + (4.0 / psr), c.Height);
                if (rows is { } r)
                {
                    Pixmap map = PixmapBuffer(c.Width, c.Height);
                    // The square kernel reads the pixmap one row beyond the box for the corners.
                    _timing.Time("pixmaps", () => plans[c].Fill(map, Math.Max(0, r.First - 2), Math.Min(c.Height - 1, r.Last + 2)));
                    DrizzleChip(c, id, map, r.First, r.Last, psr, width, th, ty0, chips.Count, tileExptime, sci, wht, variance, ctx);
                    tileExptime += c.Input.ExposureTime;
                    ReleaseChipArrays();
                }

                Report("final drizzle", ++done / (double)total);
            }

            _holeFill.FillTile(sci, wht, variance); // crsky
            int tileY0 = ty0;
            float[]? tileVariance = variance;
            _timing.Time("writing", () =>
            {
                FinishTile(sci, wht, tileVariance, texp);
                product.WritePixels(1, (long)tileY0 * width, sci.AsSpan());
                product.WritePixels(2, (long)tileY0 * width, wht.AsSpan());
                for (int p = 0; p < planes; p++)
                {
                    product.WritePixels(3, ((long)p * width * height) + ((long)tileY0 * width), ctx[p].AsSpan());
                }

                if (tileVariance is not null)
                {
                    product.WritePixels(4, (long)tileY0 * width, tileVariance.AsSpan());
                }
            });
        }

        _timing.Time("writing", product.Commit);
        Log(_timing.Summary("final drizzle"));
        if (_holeFill.Enabled) // crsky
        {
            Log(string.Create(CultureInfo.InvariantCulture, $"holes filled from pixfrac {options.FinalHolePixfrac} drops: {_holeFill.Filled} pixels"));
        }

        return tiles;
    }

    private void DrizzleChip(ChipWork c, int id, Pixmap map, int firstRow, int lastRow, double psr, int width, int tileHeight, int tileY0,
        int count, double tileExptime, float[] sci, float[] wht, float[]? variance, List<int[]> ctx)
    {
        Chip chip = _timing.Time("reading chips", c.Load);
        (float[] data, float[] weights) = _timing.Time("masks and sky", () => (c.SkySubtracted(chip), FinalWeights(c, chip)));
        var input = new DrizzleInput
        {
            Data = data,
            Data2 = variance is null ? null : [Variance(chip)],
            Exptime = c.Input.ExposureTime,
            Pixmap = map,
            WeightMap = weights,
            WhtScale = Weight(c),
            InUnits = c.DrizzleUnits,
            Iscale = psr * psr,
            PixelScaleRatio = psr,
            Pixfrac = options.FinalPixfrac,
            Ymin = firstRow,
            Ymax = lastRow,
        };
        _timing.Time("drizzling", () =>
        {
            new Drizzle(new DrizzleOptions
            {
                Kernel = options.FinalKernel,
                OutputWidth = width,
                OutputHeight = tileHeight,
                OriginY = tileY0,
                OutImg = sci,
                OutWht = wht,
                OutCtx = ctx,
                OutImg2 = variance is null ? null : [variance],
                Exptime = tileExptime,
                BeginCtxId = id,
                MaxCtxId = count - 1,
                MaxDegreeOfParallelism = options.NumCores,
            }).AddImage(input);
            _holeFill?.Add(input); // crsky
        });
    }

    /// <summary>The final drizzle's weight map of a chip: final_bits-good, not static-masked, not a cosmic ray; × 1/ERR² (as a rate) for ERR weights.</summary>
    private float[] FinalWeights(ChipWork c, Chip chip)
    {
        float[]? perPixel = null;
        if (options.FinalWhtType == WeightType.Err)
        {
            perPixel = new float[chip.Sci.Length];
            double toRate = c.Input.Units == DataUnits.CountRate ? 1.0 : 1.0 / c.Input.ExposureTime;
            for (int i = 0; i < perPixel.Length; i++)
            {
                double e = chip.Err![i] * toRate;
                perPixel[i] = e > 0 && double.IsFinite(e) ? (float)(1.0 / (e * e)) : 0f;
            }
        }

        bool[] good = c.Good(chip, options.FinalBits);
        foreach (int k in c.CosmicRays ?? [])
        {
            good[k] = false;
        }

        return Mask(good, perPixel);
    }

    /// <summary>
    /// A chip's ERR squared (data units squared), for the variance co-add; 0 where ERR is not a finite number (such a
    /// pixel, if its DQ lets it through, adds its data but no variance).
    /// </summary>
    private static float[] Variance(Chip chip)
    {
        float[] err = chip.Err!;
        var variance = new float[err.Length];
        for (int i = 0; i < err.Length; i++)
        {
            double e = err[i];
            variance[i] = double.IsFinite(e) ? (float)(e * e) : 0f;
        }

        return variance;
    }

    /// <summary>Fill value where nothing landed, ERR from the co-added variance (NaN where nothing landed), and counts if asked for.</summary>
    private void FinishTile(float[] sci, float[] wht, float[]? variance, double texp)
    {
        if (variance is not null)
        {
            for (long k = 0; k < variance.LongLength; k++)
            {
                variance[k] = wht[k] > 0f ? MathF.Sqrt(variance[k]) : float.NaN;
            }
        }

        FillValue fill = options.FinalFillval;
        if (!fill.IsIndef)
        {
            for (long k = 0; k < sci.LongLength; k++)
            {
                if (wht[k] == 0f)
                {
                    sci[k] = fill.Value;
                }
            }
        }

        if (options.FinalUnits == OutputUnits.Counts)
        {
            for (long k = 0; k < sci.LongLength; k++)
            {
                sci[k] = (float)(sci[k] * texp);
                if (variance is not null)
                {
                    variance[k] = (float)(variance[k] * texp);
                }
            }
        }
    }

    private double Weight(ChipWork c) => options.FinalWhtType switch
    {
        WeightType.Exp => c.Input.ExposureTime,
        WeightType.Ivm => IvmScale(c),
        _ => 1.0,
    };

    private static double IvmScale(ChipWork c)
    {
        // Variance of a rate pixel from sky and read noise: (sky e⁻ + rn²) / (electrons per rate unit)².
        double perRate = c.ToElectrons * c.Input.ExposureTime / c.Scale;
        double variance = (Math.Max(0, c.Sky * c.ToElectrons) + (c.ReadNoise * c.ReadNoise)) / (perRate * perRate);
        return variance > 0 ? 1.0 / variance : c.Input.ExposureTime;
    }
}
