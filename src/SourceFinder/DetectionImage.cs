namespace TweakDrizzle.SourceFinder;

/// <summary>
/// A 2-D float32 image handed to a detector, with an optional bad-pixel mask.
/// Pixel (x, y) is <c>Data[y * Width + x]</c>; x is the column (NAXIS1), 0-based, pixel centres at integers.
/// </summary>
/// <remarks>
/// The detectors never modify <see cref="Data"/>. Non-finite pixels (NaN, ±Inf) are always treated as bad,
/// whatever the mask says. Instances are immutable views: do not change the arrays while a detector runs.
/// </remarks>
public sealed class DetectionImage
{
    /// <summary>Creates an image view over <paramref name="data"/>.</summary>
    /// <param name="data">Pixel values, row-major, length <paramref name="width"/>·<paramref name="height"/>.</param>
    /// <param name="width">Number of columns (NAXIS1).</param>
    /// <param name="height">Number of rows (NAXIS2).</param>
    /// <param name="badPixels">Optional mask, same layout: <c>true</c> marks a pixel to ignore.</param>
    /// <exception cref="SourceFinderException">The sizes do not agree.</exception>
    public DetectionImage(float[] data, int width, int height, bool[]? badPixels = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (width <= 0 || height <= 0)
        {
            throw new SourceFinderException($"image size {width}x{height} is not positive");
        }

        if ((long)width * height != data.LongLength)
        {
            throw new SourceFinderException($"image data has {data.LongLength} pixels but the size is {width}x{height}");
        }

        if (badPixels is not null && badPixels.LongLength != data.LongLength)
        {
            throw new SourceFinderException($"the bad-pixel mask has {badPixels.LongLength} pixels but the image has {data.LongLength}");
        }

        Data = data;
        Width = width;
        Height = height;
        BadPixels = badPixels;
    }

    /// <summary>Pixel values, <c>Data[y * Width + x]</c>.</summary>
    public float[] Data { get; }

    /// <summary>Number of columns (NAXIS1).</summary>
    public int Width { get; }

    /// <summary>Number of rows (NAXIS2).</summary>
    public int Height { get; }

    /// <summary>Optional bad-pixel mask (<c>true</c> = ignore), or <c>null</c>.</summary>
    public bool[]? BadPixels { get; }

    /// <summary>
    /// Builds a bad-pixel mask from a data-quality array: a pixel is bad when <c>(dq &amp; badBits) != 0</c>.
    /// </summary>
    /// <param name="dq">Data-quality values, same layout as the image.</param>
    /// <param name="badBits">The DQ bits that mark a pixel as unusable (0: no pixel is bad).</param>
    /// <returns>The mask (<c>true</c> = bad).</returns>
    public static bool[] MaskFromDq(ReadOnlySpan<uint> dq, uint badBits)
    {
        var mask = new bool[dq.Length];
        for (int i = 0; i < dq.Length; i++)
        {
            mask[i] = (dq[i] & badBits) != 0;
        }

        return mask;
    }

    /// <summary>Whether pixel <paramref name="index"/> is usable: finite and not masked.</summary>
    internal bool IsGood(int index) => float.IsFinite(Data[index]) && (BadPixels is null || !BadPixels[index]);

    /// <summary>
    /// A combined bad-pixel map (mask or non-finite), or <c>null</c> when every pixel is good.
    /// </summary>
    internal bool[]? CombinedBadMap()
    {
        bool[]? bad = null;
        float[] d = Data;
        bool[]? m = BadPixels;
        for (int i = 0; i < d.Length; i++)
        {
            if (!float.IsFinite(d[i]) || (m is not null && m[i]))
            {
                bad ??= new bool[d.Length];
                bad[i] = true;
            }
        }

        return bad;
    }
}

/// <summary>A detector input or option a user can get wrong; the message is one plain-words line.</summary>
public sealed class SourceFinderException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public SourceFinderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    /// <param name="inner">The underlying failure.</param>
    public SourceFinderException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SourceFinderException()
        : base("source finding failed")
    {
    }
}
