using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>
/// Fills the holes of a final drizzle (zero-weight pixels inside the footprint) from a second co-add of the same
/// inputs, masks and weights with larger drops (<see cref="AstroDrizzleOptions.FinalHolePixfrac"/>). Not in AstroDrizzle.
/// </summary>
/// <remarks>
/// With a small pixfrac, an output pixel whose few overlapping drops are all rejected (DQ flags and cosmic rays that
/// coincide on the sky) gets no data although good input pixels lie right next to it. Larger drops reach it from
/// those neighbours: only such pixels take the larger-drop value and weight; every other pixel is left bit for bit
/// as the final drizzle made it. Pixels no input reaches even with the larger drops stay holes.
/// </remarks>
public sealed class HoleFill
{
    private readonly Drizzle? _drizzle;
    private readonly float[] _sci = [];
    private readonly float[] _wht = [];
    private readonly double _pixfrac;
    private readonly int _width;
    private readonly int _height;

    /// <summary>Prepares the second co-add (nothing is allocated when <see cref="AstroDrizzleOptions.FinalHolePixfrac"/> is null).</summary>
    /// <param name="grid">The output grid.</param>
    /// <param name="options">The run's options.</param>
    /// <exception cref="CombineException">A hole pixfrac that is not larger than final_pixfrac.</exception>
    public HoleFill(OutputGrid grid, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        _width = grid.Width;
        _height = grid.Height;
        if (options.FinalHolePixfrac is not { } pixfrac)
        {
            return;
        }

        if (!(pixfrac > options.FinalPixfrac))
        {
            throw new CombineException("final_hole_pixfrac must be larger than final_pixfrac");
        }

        _pixfrac = pixfrac;
        _sci = new float[grid.PixelCount];
        _wht = new float[grid.PixelCount];
        _drizzle = new Drizzle(new DrizzleOptions
        {
            // Turbo (axis-aligned boxes) for the square kernel: the same drops to within their rotation, several times faster.
            Kernel = options.FinalKernel == DrizzleKernel.Square ? DrizzleKernel.Turbo : options.FinalKernel,
            OutputWidth = grid.Width,
            OutputHeight = grid.Height,
            OutImg = _sci,
            OutWht = _wht,
            DisableCtx = true,
            MaxDegreeOfParallelism = options.NumCores,
        });
    }

    /// <summary>Whether holes are filled at all.</summary>
    public bool Enabled => _drizzle is not null;

    /// <summary>Adds one input exactly as given to the final drizzle; only the drop size differs.</summary>
    /// <param name="input">The final drizzle's input.</param>
    public void Add(DrizzleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _drizzle?.AddImage(input with { Pixfrac = _pixfrac });
    }

    /// <summary>Fills the holes of the final drizzle in place.</summary>
    /// <param name="sci">The final science image (before any unit conversion).</param>
    /// <param name="wht">The final weight image.</param>
    /// <returns>The number of pixels filled.</returns>
    public long Fill(float[] sci, float[] wht)
    {
        ArgumentNullException.ThrowIfNull(sci);
        ArgumentNullException.ThrowIfNull(wht);
        if (_drizzle is null)
        {
            return 0;
        }

        if (sci.LongLength != _sci.LongLength || wht.LongLength != _wht.LongLength)
        {
            throw new CombineException("hole fill: images of different sizes");
        }

        bool[] holes = DrizzleQuality.Holes(wht, _width, _height);
        long filled = 0;
        for (long k = 0; k < holes.LongLength; k++)
        {
            if (holes[k] && _wht[k] > 0)
            {
                sci[k] = _sci[k];
                wht[k] = _wht[k];
                filled++;
            }
        }

        return filled;
    }
}
