using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace TweakDrizzle.Fits;

/// <summary>Converts big-endian stored FITS pixels to physical values and back.</summary>
internal static class PixelCodec
{
    private const int Batch = 512;

    /// <summary>BITPIX and BZERO used to store a CLR type exactly.</summary>
    public static (int Bitpix, double BZero) StorageOf<T>()
    {
        Type t = typeof(T);
        if (t == typeof(float))
        {
            return (-32, 0);
        }

        if (t == typeof(double))
        {
            return (-64, 0);
        }

        if (t == typeof(byte))
        {
            return (8, 0);
        }

        if (t == typeof(sbyte))
        {
            return (8, -128);
        }

        if (t == typeof(short))
        {
            return (16, 0);
        }

        if (t == typeof(ushort))
        {
            return (16, 32768);
        }

        if (t == typeof(int))
        {
            return (32, 0);
        }

        if (t == typeof(uint))
        {
            return (32, 2147483648.0);
        }

        if (t == typeof(long))
        {
            return (64, 0);
        }

        if (t == typeof(ulong))
        {
            return (64, 9223372036854775808.0);
        }

        throw new NotSupportedException($"FITS images cannot hold {t.Name}; use float, double, byte, sbyte, short, ushort, int, uint, long or ulong.");
    }

    /// <summary>Decodes <c>dst.Length</c> stored values from <paramref name="src"/>.</summary>
    /// <exception cref="OverflowException">A value does not fit an integer <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidCastException">A non-integral value was read into an integer <typeparamref name="T"/>.</exception>
    public static void Decode<T>(ReadOnlySpan<byte> src, int bitpix, FitsScaling s, Span<T> dst)
        where T : unmanaged, INumber<T>
    {
        if (TryDecodeFast(src, bitpix, s, dst))
        {
            return;
        }

        bool floatTarget = typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);
        int size = Math.Abs(bitpix) / 8;
        int n = dst.Length;
        if (bitpix > 0)
        {
            Span<long> buf = stackalloc long[Batch];
            bool intShift = s.BScale == 1.0 && s.BZero == Math.Floor(s.BZero) && Math.Abs(s.BZero) <= 1.9e19;
            var zero = intShift ? (Int128)s.BZero : Int128.Zero;
            for (int i = 0; i < n; i += Batch)
            {
                int c = Math.Min(Batch, n - i);
                DecodeIntegers(src.Slice(i * size, c * size), bitpix, buf[..c]);
                Span<T> d = dst.Slice(i, c);
                if (floatTarget)
                {
                    bool identity = s.IsIdentity;
                    long blank = s.Blank ?? 0;
                    bool hasBlank = s.Blank.HasValue;
                    for (int j = 0; j < c; j++)
                    {
                        long x = buf[j];
                        double v = hasBlank && x == blank ? double.NaN : identity ? x : s.BZero + (s.BScale * x);
                        d[j] = T.CreateTruncating(v);
                    }
                }
                else if (intShift)
                {
                    for (int j = 0; j < c; j++)
                    {
                        d[j] = T.CreateChecked((Int128)buf[j] + zero);
                    }
                }
                else
                {
                    for (int j = 0; j < c; j++)
                    {
                        d[j] = ToInteger<T>(s.BZero + (s.BScale * buf[j]));
                    }
                }
            }
        }
        else
        {
            Span<double> buf = stackalloc double[Batch];
            for (int i = 0; i < n; i += Batch)
            {
                int c = Math.Min(Batch, n - i);
                DecodeReals(src.Slice(i * size, c * size), bitpix, buf[..c]);
                Span<T> d = dst.Slice(i, c);
                bool identity = s.IsIdentity;
                for (int j = 0; j < c; j++)
                {
                    double v = identity ? buf[j] : s.BZero + (s.BScale * buf[j]);
                    d[j] = floatTarget ? T.CreateTruncating(v) : ToInteger<T>(v);
                }
            }
        }
    }

    /// <summary>Encodes values of a type from <see cref="StorageOf{T}"/> as big-endian stored bytes.</summary>
    public static void Encode<T>(ReadOnlySpan<T> src, Span<byte> dst)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(src);
        switch (bytes.Length / Math.Max(1, src.Length))
        {
            case 1:
                bytes.CopyTo(dst);
                if (typeof(T) == typeof(sbyte))
                {
                    Xor(dst[..bytes.Length], 0x80);
                }

                break;
            case 2:
                {
                    Span<ushort> d = MemoryMarshal.Cast<byte, ushort>(dst[..bytes.Length]);
                    if (typeof(T) == typeof(ushort))
                    {
                        ReadOnlySpan<ushort> u = MemoryMarshal.Cast<T, ushort>(src);
                        for (int i = 0; i < u.Length; i++)
                        {
                            d[i] = BinaryPrimitives.ReverseEndianness((ushort)(u[i] ^ 0x8000));
                        }
                    }
                    else
                    {
                        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(bytes), d);
                    }

                    break;
                }

            case 4:
                {
                    Span<uint> d = MemoryMarshal.Cast<byte, uint>(dst[..bytes.Length]);
                    if (typeof(T) == typeof(uint))
                    {
                        ReadOnlySpan<uint> u = MemoryMarshal.Cast<T, uint>(src);
                        for (int i = 0; i < u.Length; i++)
                        {
                            d[i] = BinaryPrimitives.ReverseEndianness(u[i] ^ 0x80000000u);
                        }
                    }
                    else
                    {
                        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(bytes), d);
                    }

                    break;
                }

            default:
                {
                    Span<ulong> d = MemoryMarshal.Cast<byte, ulong>(dst[..bytes.Length]);
                    if (typeof(T) == typeof(ulong))
                    {
                        ReadOnlySpan<ulong> u = MemoryMarshal.Cast<T, ulong>(src);
                        for (int i = 0; i < u.Length; i++)
                        {
                            d[i] = BinaryPrimitives.ReverseEndianness(u[i] ^ 0x8000000000000000ul);
                        }
                    }
                    else
                    {
                        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(bytes), d);
                    }

                    break;
                }
        }
    }

    private static T ToInteger<T>(double v)
        where T : INumber<T>
    {
        if (!double.IsFinite(v) || v != Math.Floor(v))
        {
            throw new InvalidCastException();
        }

        return T.CreateChecked(v);
    }

    private static void Xor(Span<byte> d, byte mask)
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] ^= mask;
        }
    }

    private static bool TryDecodeFast<T>(ReadOnlySpan<byte> src, int bitpix, FitsScaling s, Span<T> dst)
        where T : unmanaged
    {
        Type t = typeof(T);
        int n = dst.Length;
        if (s.IsIdentity)
        {
            if ((bitpix == -32 && t == typeof(float)) || (bitpix == 32 && t == typeof(int)))
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(src[..(n * 4)]), MemoryMarshal.Cast<T, uint>(dst));
                return true;
            }

            if ((bitpix == -64 && t == typeof(double)) || (bitpix == 64 && t == typeof(long)))
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(src[..(n * 8)]), MemoryMarshal.Cast<T, ulong>(dst));
                return true;
            }

            if (bitpix == 16 && t == typeof(short))
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(src[..(n * 2)]), MemoryMarshal.Cast<T, ushort>(dst));
                return true;
            }

            if (bitpix == 8 && t == typeof(byte))
            {
                src[..n].CopyTo(MemoryMarshal.AsBytes(dst));
                return true;
            }

            if (bitpix == -32 && t == typeof(double))
            {
                Span<double> d = MemoryMarshal.Cast<T, double>(dst);
                Span<uint> tmp = stackalloc uint[Batch];
                for (int i = 0; i < n; i += Batch)
                {
                    int c = Math.Min(Batch, n - i);
                    BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(src.Slice(i * 4, c * 4)), tmp[..c]);
                    ReadOnlySpan<float> f = MemoryMarshal.Cast<uint, float>(tmp[..c]);
                    Span<double> o = d.Slice(i, c);
                    for (int j = 0; j < f.Length; j++)
                    {
                        o[j] = f[j];
                    }
                }

                return true;
            }

            if (bitpix == 16 && (t == typeof(float) || t == typeof(double)) && s.Blank is null)
            {
                Span<ushort> tmp = stackalloc ushort[Batch];
                for (int i = 0; i < n; i += Batch)
                {
                    int c = Math.Min(Batch, n - i);
                    BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(src.Slice(i * 2, c * 2)), tmp[..c]);
                    ReadOnlySpan<short> v = MemoryMarshal.Cast<ushort, short>(tmp[..c]);
                    if (t == typeof(float))
                    {
                        Span<float> o = MemoryMarshal.Cast<T, float>(dst).Slice(i, c);
                        for (int j = 0; j < v.Length; j++)
                        {
                            o[j] = v[j];
                        }
                    }
                    else
                    {
                        Span<double> o = MemoryMarshal.Cast<T, double>(dst).Slice(i, c);
                        for (int j = 0; j < v.Length; j++)
                        {
                            o[j] = v[j];
                        }
                    }
                }

                return true;
            }

            return false;
        }

        if (s.BScale != 1.0)
        {
            return false;
        }

        if (bitpix == 16 && t == typeof(ushort) && s.BZero == 32768)
        {
            Span<ushort> d = MemoryMarshal.Cast<T, ushort>(dst);
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(src[..(n * 2)]), d);
            for (int i = 0; i < n; i++)
            {
                d[i] ^= 0x8000;
            }

            return true;
        }

        if (bitpix == 32 && t == typeof(uint) && s.BZero == 2147483648.0)
        {
            Span<uint> d = MemoryMarshal.Cast<T, uint>(dst);
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(src[..(n * 4)]), d);
            for (int i = 0; i < n; i++)
            {
                d[i] ^= 0x80000000u;
            }

            return true;
        }

        if (bitpix == 8 && t == typeof(sbyte) && s.BZero == -128)
        {
            Span<byte> d = MemoryMarshal.AsBytes(dst);
            src[..n].CopyTo(d);
            Xor(d, 0x80);
            return true;
        }

        return false;
    }

    private static void DecodeIntegers(ReadOnlySpan<byte> src, int bitpix, Span<long> dst)
    {
        switch (bitpix)
        {
            case 8:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = src[i];
                }

                break;
            case 16:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt16BigEndian(src[(i * 2)..]);
                }

                break;
            case 32:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt32BigEndian(src[(i * 4)..]);
                }

                break;
            default:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt64BigEndian(src[(i * 8)..]);
                }

                break;
        }
    }

    private static void DecodeReals(ReadOnlySpan<byte> src, int bitpix, Span<double> dst)
    {
        if (bitpix == -32)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = BinaryPrimitives.ReadSingleBigEndian(src[(i * 4)..]);
            }
        }
        else
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = BinaryPrimitives.ReadDoubleBigEndian(src[(i * 8)..]);
            }
        }
    }
}
