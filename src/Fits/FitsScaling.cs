namespace TweakDrizzle.Fits;

/// <summary>The linear scaling of an image: physical = <see cref="BZero"/> + <see cref="BScale"/> × stored.</summary>
/// <param name="BScale">BSCALE (1 when absent).</param>
/// <param name="BZero">BZERO (0 when absent).</param>
/// <param name="Blank">BLANK for integer images, or null.</param>
public sealed record FitsScaling(double BScale = 1.0, double BZero = 0.0, long? Blank = null)
{
    /// <summary>True when BSCALE = 1 and BZERO = 0: values are used as stored, with no arithmetic.</summary>
    public bool IsIdentity => BScale == 1.0 && BZero == 0.0;

    /// <summary>The physical type for a BITPIX under this scaling (see <see cref="FitsHdu.PhysicalType"/>).</summary>
    /// <param name="bitpix">The BITPIX.</param>
    /// <returns>The CLR type.</returns>
    public Type PhysicalType(int bitpix)
    {
        if (IsIdentity)
        {
            return bitpix switch
            {
                8 => typeof(byte),
                16 => typeof(short),
                32 => typeof(int),
                64 => typeof(long),
                -32 => typeof(float),
                _ => typeof(double),
            };
        }

        if (BScale == 1.0)
        {
            switch (bitpix)
            {
                case 8 when BZero == -128:
                    return typeof(sbyte);
                case 16 when BZero == 32768:
                    return typeof(ushort);
                case 32 when BZero == 2147483648.0:
                    return typeof(uint);
                case 64 when BZero == 9223372036854775808.0:
                    return typeof(ulong);
            }
        }

        return typeof(double);
    }

    internal static FitsScaling FromHeader(FitsHeader header, int bitpix, bool image)
    {
        if (!image)
        {
            return new FitsScaling();
        }

        double bscale = header.TryGetDouble("BSCALE", out double s) ? s : 1.0;
        double bzero = header.TryGetDouble("BZERO", out double z) ? z : 0.0;
        long? blank = bitpix > 0 && header.TryGetInt64("BLANK", out long b) ? b : null;
        if (!double.IsFinite(bscale) || !double.IsFinite(bzero))
        {
            throw new FitsException("BSCALE and BZERO must be finite numbers");
        }

        return new FitsScaling(bscale, bzero, blank);
    }
}
