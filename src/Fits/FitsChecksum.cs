using System.Buffers.Binary;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>
/// The FITS checksum (ones'-complement sum of big-endian 32-bit words) and its 16-character ASCII encoding,
/// as in the FITS Checksum Convention (FITS 4.0 appendix J).
/// </summary>
public static class FitsChecksum
{
    /// <summary>Ones'-complement 32-bit sum of <paramref name="data"/> (length a multiple of 4), added to <paramref name="sum"/>.</summary>
    /// <param name="sum">The running sum.</param>
    /// <param name="data">Bytes, a multiple of 4 long.</param>
    /// <returns>The new sum.</returns>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong hi = sum >> 16, lo = sum & 0xFFFF;
        int n = data.Length / 4 * 4;
        for (int i = 0; i < n; i += 4)
        {
            hi += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            lo += BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
        }

        return Fold(hi, lo);
    }

    /// <summary>Ones'-complement sum of two checksums.</summary>
    /// <param name="a">First sum.</param>
    /// <param name="b">Second sum.</param>
    /// <returns>The combined sum.</returns>
    public static uint Combine(uint a, uint b) => Fold((ulong)(a >> 16) + (b >> 16), (ulong)(a & 0xFFFF) + (b & 0xFFFF));

    /// <summary>The 16-character ASCII encoding of a 32-bit value (written for the complement of the HDU sum).</summary>
    /// <param name="value">The value to encode.</param>
    /// <returns>The 16 characters.</returns>
    public static string Encode(uint value)
    {
        ReadOnlySpan<byte> exclude = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];
        Span<int> asc = stackalloc int[16];
        for (int i = 0; i < 4; i++)
        {
            int b = (int)((value >> (24 - (8 * i))) & 0xFF);
            int quotient = (b / 4) + 0x30;
            int remainder = b % 4;
            for (int j = 0; j < 4; j++)
            {
                asc[(4 * j) + i] = quotient;
            }

            asc[i] += remainder;
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (byte ex in exclude)
                {
                    for (int j = 0; j < 4; j += 2)
                    {
                        if (asc[(4 * j) + i] == ex || asc[(4 * j) + i + 4] == ex)
                        {
                            asc[(4 * j) + i]++;
                            asc[(4 * j) + i + 4]--;
                            changed = true;
                        }
                    }
                }
            }
        }

        var sb = new StringBuilder(16);
        for (int k = 0; k < 16; k++)
        {
            sb.Append((char)asc[(k + 15) % 16]);
        }

        return sb.ToString();
    }

    private static uint Fold(ulong hi, ulong lo)
    {
        while (((hi >> 16) | (lo >> 16)) != 0)
        {
            ulong carryHi = hi >> 16, carryLo = lo >> 16;
            hi = (hi & 0xFFFF) + carryLo;
            lo = (lo & 0xFFFF) + carryHi;
        }

        return (uint)((hi << 16) | lo);
    }
}

/// <summary>The state of a CHECKSUM or DATASUM card.</summary>
public enum FitsChecksumStatus
{
    /// <summary>The card is not in the header.</summary>
    Absent,

    /// <summary>The card matches the bytes of the HDU.</summary>
    Valid,

    /// <summary>The card does not match: the header or data changed since it was written.</summary>
    Invalid,
}

/// <summary>The result of <see cref="FitsHdu.VerifyChecksums"/>.</summary>
/// <param name="Checksum">CHECKSUM: the whole HDU (header and data) sums to -0.</param>
/// <param name="Datasum">DATASUM: the data sum equals the stored value.</param>
public sealed record FitsChecksumResult(FitsChecksumStatus Checksum, FitsChecksumStatus Datasum)
{
    /// <summary>True when neither card is invalid.</summary>
    public bool IsValid => Checksum != FitsChecksumStatus.Invalid && Datasum != FitsChecksumStatus.Invalid;
}

/// <summary>Accumulates a checksum over a byte stream written in arbitrary pieces.</summary>
internal sealed class ChecksumAccumulator
{
    private readonly byte[] _carry = new byte[4];
    private int _carryCount;

    public uint Sum { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_carryCount > 0)
        {
            int take = Math.Min(4 - _carryCount, data.Length);
            data[..take].CopyTo(_carry.AsSpan(_carryCount));
            _carryCount += take;
            data = data[take..];
            if (_carryCount < 4)
            {
                return;
            }

            Sum = FitsChecksum.Add(Sum, _carry);
            _carryCount = 0;
        }

        int whole = data.Length / 4 * 4;
        Sum = FitsChecksum.Add(Sum, data[..whole]);
        data[whole..].CopyTo(_carry);
        _carryCount = data.Length - whole;
    }

    /// <summary>The sum with any trailing partial word zero-padded (as FITS padding does).</summary>
    public uint Final()
    {
        if (_carryCount > 0)
        {
            _carry.AsSpan(_carryCount).Clear();
            Sum = FitsChecksum.Add(Sum, _carry);
            _carryCount = 0;
        }

        return Sum;
    }
}
