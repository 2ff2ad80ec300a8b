using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>One input exposure of a combination: what the steps need to know without its pixels.</summary>
internal sealed class CombineInput
{
    public required string Name { get; init; }

    public required string? Path { get; init; }

    public required int Index { get; init; }

    public required double ExposureTime { get; init; }

    public required DataUnits Units { get; init; }

    public required IReadOnlyList<ChipWork> Chips { get; init; }

    /// <summary>
    /// Describes an exposure. With <paramref name="reloadSpec"/> the chips' pixels are dropped and re-read from the
    /// file each time a step needs them; without, the exposure's arrays in memory are used (header-only chips are read
    /// from the exposure's file each time, see <see cref="Exposure.ReadChip(int, ExposureLoadOptions?)"/>).
    /// </summary>
    public static CombineInput FromExposure(Exposure e, int index, Func<Chip, string>? reloadSpec, ExposureLoadOptions? load)
    {
        double gain = GainOf(e);
        double rn = ReadNoiseOf(e);
        var chips = new List<ChipWork>();
        var input = new CombineInput
        {
            Name = e.Name,
            Path = e.Path,
            Index = index,
            ExposureTime = e.ExposureTime,
            Units = e.Units,
            Chips = chips,
        };
        for (int ci = 0; ci < e.Chips.Count; ci++)
        {
            Chip c = e.Chips[ci];
            Func<Chip> loader = reloadSpec is not null ? FromFile(reloadSpec(c), c.ExtVer, load)
                : c.HasPixels ? InMemory(c)
                : FromExposure(e, ci, load);

            chips.Add(new ChipWork
            {
                Input = input,
                Name = c.Name,
                ExtVer = c.ExtVer,
                Width = c.Width,
                Height = c.Height,
                Wcs = c.Wcs,
                HasErr = c.HasErr,
                ToElectrons = gain * (e.Units == DataUnits.CountRate ? e.ExposureTime : 1.0),
                ReadNoise = rn,
                NativeScale = c.Wcs.PixelScale((c.Width - 1) / 2.0, (c.Height - 1) / 2.0),
                Load = loader,
            });
        }

        return input;
    }

    private static Func<Chip> InMemory(Chip chip) => () => chip;

    /// <summary>A loader for a header-only exposure passed in memory: the chip's pixels are read from its file each time.</summary>
    private static Func<Chip> FromExposure(Exposure e, int chip, ExposureLoadOptions? load) =>
        () => e.ReadChip(chip, load);

    /// <summary>A loader that holds only the file spec (a lambda built next to one capturing the chip would keep its arrays alive).</summary>
    private static Func<Chip> FromFile(string spec, int extVer, ExposureLoadOptions? load) =>
        () => Exposure.Load(spec, load).Chips.Single(x => x.ExtVer == extVer);

    private static double GainOf(Exposure e)
    {
        string bunit = (e.Chips[0].Header.GetString("BUNIT", null) ?? e.PrimaryHeader.GetString("BUNIT", null) ?? string.Empty).Trim().ToUpperInvariant();
        if (bunit.StartsWith("ELECTRON", StringComparison.Ordinal))
        {
            return 1.0;
        }

        return e.PrimaryHeader.GetDouble("CCDGAIN", e.Chips[0].Header.GetDouble("CCDGAIN", 1.0));
    }

    private static double ReadNoiseOf(Exposure e)
    {
        foreach (string key in new[] { "READNSE", "READNSEA", "RDNOISE" })
        {
            if (e.PrimaryHeader.TryGetDouble(key, out double v) || e.Chips[0].Header.TryGetDouble(key, out v))
            {
                return v;
            }
        }

        return 0.0;
    }
}

/// <summary>One input chip of a combination and what the steps learn about it.</summary>
internal sealed class ChipWork
{
    public required CombineInput Input { get; init; }

    public required string Name { get; init; }

    public required int ExtVer { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required FitsWcs Wcs { get; init; }

    public required bool HasErr { get; init; }

    public required double ToElectrons { get; init; }

    public required double ReadNoise { get; init; }

    public required double NativeScale { get; init; }

    /// <summary>The chip with its pixels (from memory, or read again from its file).</summary>
    public required Func<Chip> Load { get; init; }

    public double Sky { get; set; }

    public bool Overlaps { get; set; } = true;

    /// <summary>AstroDrizzle's static mask of this chip position (shared by the chips of every exposure), or null.</summary>
    public bool[]? StaticBad { get; set; }

    /// <summary>Cosmic-ray pixels, increasing row-major indices, or null before (or without) CR rejection.</summary>
    public int[]? CosmicRays { get; set; }

    public ChipGeometry Geometry => new(Wcs, Width, Height);

    public int ExposureIndex => Input.Index;

    /// <summary>Data units per unit of rate (the exposure time for rates, 1 for counts).</summary>
    public double Scale => Input.Units == DataUnits.CountRate ? Input.ExposureTime : 1.0;

    public DrizzleUnits DrizzleUnits => Input.Units == DataUnits.CountRate ? DrizzleUnits.Cps : DrizzleUnits.Counts;

    /// <summary>The chip → target-grid pixel transform through both WCSs (with the chip's distortion).</summary>
    public PixelTransform TransformTo(FitsWcs target)
    {
        FitsWcs source = Wcs;
        return (x, y, xo, yo) =>
        {
            var ra = new double[x.Length];
            var dec = new double[x.Length];
            source.PixelToWorld(x, y, ra, dec);
            target.WorldToPixel(ra, dec, xo, yo);
        };
    }

    /// <summary>The good-pixel mask for a DQ selection, without the static mask's pixels.</summary>
    public bool[] Good(Chip chip, DqBits bits)
    {
        bool[] good = chip.GoodPixels(bits);
        if (StaticBad is { } bad)
        {
            for (int i = 0; i < good.Length; i++)
            {
                good[i] &= !bad[i];
            }
        }

        return good;
    }

    /// <summary>The chip's science data with the sky subtracted.</summary>
    public float[] SkySubtracted(Chip chip)
    {
        float sky = (float)Sky;
        float[] src = chip.Sci;
        var data = new float[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            data[i] = src[i] - sky;
        }

        return data;
    }
}
