namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>A colour map: display values in [0, 1] to colours, by linear interpolation between anchors.</summary>
public sealed class Colormap
{
    private readonly PlotColor[] _anchors;
    private readonly PlotColor[] _table;

    private Colormap(string name, PlotColor[] anchors)
    {
        Name = name;
        _anchors = anchors;
        _table = new PlotColor[256];
        for (int i = 0; i < 256; i++)
        {
            _table[i] = Interpolate(i / 255.0);
        }
    }

    /// <summary>The map's name.</summary>
    public string Name { get; }

    /// <summary>Viridis (van der Walt &amp; Smith, CC0), sampled at 33 points: perceptually uniform, readable
    /// in grey scale and by colour-blind readers.</summary>
    public static Colormap Viridis { get; } = new("viridis", [.. new[]
    {
        0x440154, 0x470D60, 0x48186A, 0x482374, 0x472D7B, 0x453781, 0x424086, 0x3E4989, 0x3B528B, 0x375B8D, 0x33638D,
        0x2F6B8E, 0x2C728E, 0x297A8E, 0x26828E, 0x23898E, 0x21918C, 0x1F988B, 0x1FA088, 0x22A785, 0x28AE80, 0x32B67A,
        0x3FBC73, 0x4EC36B, 0x5EC962, 0x70CF57, 0x84D44B, 0x98D83E, 0xADDC30, 0xC2DF23, 0xD8E219, 0xECE51B, 0xFDE725,
    }.Select(PlotColor.FromRgb)]);

    /// <summary>Black to white.</summary>
    public static Colormap Gray { get; } = new("gray", [PlotColor.Black, PlotColor.White]);

    /// <summary>White to black (for sparse maps such as coverage, where empty should be white).</summary>
    public static Colormap GrayReversed { get; } = new("gray_r", [PlotColor.White, PlotColor.Black]);

    /// <summary>The colour of display value <paramref name="t"/> (clamped to [0, 1]), quantised to 256 levels.</summary>
    /// <param name="t">The display value.</param>
    /// <returns>The colour.</returns>
    public PlotColor Map(double t)
    {
        if (double.IsNaN(t))
        {
            return PlotPalette.Missing;
        }

        return _table[(int)Math.Round(Math.Clamp(t, 0, 1) * 255)];
    }

    /// <summary>Looks a map up by name (viridis, gray, gray_r).</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static Colormap FromName(string name) => name?.ToUpperInvariant() switch
    {
        "VIRIDIS" => Viridis,
        "GRAY" or "GREY" => Gray,
        "GRAY_R" or "GREY_R" => GrayReversed,
        _ => throw new ArgumentException($"Unknown colour map '{name}': use viridis, gray or gray_r.", nameof(name)),
    };

    private PlotColor Interpolate(double t)
    {
        double pos = t * (_anchors.Length - 1);
        int i = Math.Min((int)Math.Floor(pos), _anchors.Length - 2);
        return _anchors[i].Mix(_anchors[i + 1], pos - i);
    }
}
