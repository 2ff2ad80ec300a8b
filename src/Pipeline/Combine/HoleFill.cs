using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>
/// Fills the holes of a final drizzle from a second co-add of the same inputs, masks and weights with larger drops
/// (<see cref="AstroDrizzleOptions.FinalHolePixfrac"/>). Not in AstroDrizzle. Works on output tiles of whole rows.
/// </summary>
/// <remarks>
/// <para>
/// With a small pixfrac, an output pixel whose few overlapping drops are all rejected (DQ flags and cosmic rays that
/// coincide on the sky) gets no data although good input pixels lie right next to it. Larger drops reach it from
/// those neighbours. A hole is an output pixel with zero weight whose centre lies on at least one input chip: only
/// such pixels take the larger-drop value and weight (so the footprint does not grow by the larger drops' rim), and
/// every other pixel is left bit for bit as the final drizzle made it. Pixels no input reaches even with the larger
/// drops stay holes.
/// </para>
/// <para>
/// Use: <see cref="BeginTile"/> for each output tile, <see cref="Add"/> with every input the final drizzle adds to
/// that tile (the same <see cref="DrizzleInput"/>), then <see cref="FillTile(float[], float[], float[])"/> before any fill value or unit
/// conversion is applied. Results do not depend on the tile height. For the square kernel the larger drops use the
/// turbo kernel (the same drops up to their rotation, several times faster).
/// </para>
/// </remarks>
public sealed class HoleFill
{
    /// <summary>Largest accepted hole pixfrac (the final drizzle's input windows reach 4 input pixels beyond a tile).</summary>
    public const double MaxPixfrac = 3.0;

    private readonly AstroDrizzleOptions _options;
    private readonly IReadOnlyList<ChipGeometry> _chips;
    private readonly FitsWcs _grid;
    private readonly int _width;
    private float[] _sci = [];
    private float[] _wht = [];
    private float[]? _variance;
    private int _y0;
    private int _rows;
    private double _exptime;

    /// <summary>Prepares the hole fill (nothing is allocated when <see cref="AstroDrizzleOptions.FinalHolePixfrac"/> is null).</summary>
    /// <param name="grid">The output grid.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="chips">Every input chip of the final drizzle: WCS and size (a hole must lie on one of them).</param>
    /// <exception cref="CombineException">A hole pixfrac not larger than final_pixfrac, or above <see cref="MaxPixfrac"/>.</exception>
    public HoleFill(OutputGrid grid, AstroDrizzleOptions options, IReadOnlyList<ChipGeometry> chips)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(chips);
        _options = options;
        _chips = chips;
        _grid = grid.Wcs;
        _width = grid.Width;
        if (options.FinalHolePixfrac is { } p && !(p > options.FinalPixfrac && p <= MaxPixfrac))
        {
            throw new CombineException($"final_hole_pixfrac must be larger than final_pixfrac and at most {MaxPixfrac}");
        }
    }

    /// <summary>Whether holes are filled at all.</summary>
    public bool Enabled => _options.FinalHolePixfrac is not null;

    /// <summary>Pixels filled so far.</summary>
    public long Filled { get; private set; }

    /// <summary>Starts an output tile.</summary>
    /// <param name="y0">First output row of the tile.</param>
    /// <param name="rows">Rows in the tile.</param>
    public void BeginTile(int y0, int rows)
    {
        if (!Enabled)
        {
            return;
        }

        long n = (long)rows * _width;
        if (_sci.LongLength != n)
        {
            _sci = new float[n];
            _wht = new float[n];
            _variance = _options.FinalErr ? new float[n] : null;
        }
        else
        {
            Array.Clear(_sci);
            Array.Clear(_wht);
            if (_variance is not null)
            {
                Array.Clear(_variance);
            }
        }

        _y0 = y0;
        _rows = rows;
        _exptime = 0;
    }

    /// <summary>Adds one input exactly as the final drizzle added it to the current tile; only the drop size differs.</summary>
    /// <param name="input">The final drizzle's input.</param>
    public void Add(DrizzleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Enabled)
        {
            return;
        }

        var driz = new Drizzle(new DrizzleOptions
        {
            Kernel = _options.FinalKernel == DrizzleKernel.Square ? DrizzleKernel.Turbo : _options.FinalKernel,
            OutputWidth = _width,
            OutputHeight = _rows,
            OriginY = _y0,
            OutImg = _sci,
            OutWht = _wht,
            OutImg2 = input.Data2 is null || _variance is null ? null : [_variance],
            Exptime = _exptime,
            DisableCtx = true,
            MaxDegreeOfParallelism = _options.NumCores,
        });
        driz.AddImage(input with { Pixfrac = _options.FinalHolePixfrac!.Value, Data2 = _variance is null ? null : input.Data2 });
        _exptime += input.Exptime;
    }

    /// <summary>Fills the holes of the current tile in place.</summary>
    /// <param name="sci">The tile's science values (before any fill value or unit conversion).</param>
    /// <param name="wht">The tile's weights.</param>
    /// <returns>The number of pixels filled in this tile.</returns>
    public long FillTile(float[] sci, float[] wht) => FillTile(sci, wht, null);

    /// <summary>Fills the holes of the current tile in place, with their variance when the product has an ERR extension.</summary>
    /// <param name="sci">The tile's science values (before any fill value or unit conversion).</param>
    /// <param name="wht">The tile's weights.</param>
    /// <param name="variance">The tile's co-added variances (<see cref="AstroDrizzleOptions.FinalErr"/>), or null.</param>
    /// <returns>The number of pixels filled in this tile.</returns>
    public long FillTile(float[] sci, float[] wht, float[]? variance)
    {
        ArgumentNullException.ThrowIfNull(sci);
        ArgumentNullException.ThrowIfNull(wht);
        if (!Enabled)
        {
            return 0;
        }

        if (sci.LongLength != _sci.LongLength || wht.LongLength != _wht.LongLength)
        {
            throw new CombineException("hole fill: tile of a different size");
        }

        long filled = 0;
        for (long k = 0; k < _wht.LongLength; k++)
        {
            if (!(wht[k] == 0f || float.IsNaN(wht[k])) || !(_wht[k] > 0f))
            {
                continue;
            }

            double x = k % _width, y = _y0 + (k / _width);
            (double ra, double dec) = _grid.PixelToWorld(x, y);
            if (_chips.Any(c => OnChip(c, ra, dec)))
            {
                sci[k] = _sci[k];
                wht[k] = _wht[k];
                if (variance is not null && _variance is not null)
                {
                    variance[k] = _variance[k];
                }

                filled++;
            }
        }

        Filled += filled;
        return filled;
    }

    private static bool OnChip(ChipGeometry c, double ra, double dec)
    {
        (double x, double y) = c.Wcs.WorldToPixel(ra, dec);
        return x >= -0.5 && y >= -0.5 && x <= c.Width - 0.5 && y <= c.Height - 0.5;
    }
}
