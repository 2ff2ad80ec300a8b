using System.Globalization;
using System.Numerics;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>The kind of an HDU.</summary>
public enum FitsHduType
{
    /// <summary>The primary HDU (an image, possibly empty).</summary>
    Primary,

    /// <summary>An IMAGE extension.</summary>
    Image,

    /// <summary>A BINTABLE extension.</summary>
    BinaryTable,

    /// <summary>An ASCII TABLE extension (sized and skipped; not decoded).</summary>
    AsciiTable,

    /// <summary>Any other extension type (sized and skipped).</summary>
    Other,
}

/// <summary>One header-data unit of an open <see cref="FitsFile"/>.</summary>
/// <remarks>
/// Valid while its file is open. <see cref="Header"/> is the parsed header; edit a <see cref="FitsHeader.Clone"/>
/// of it, never the original, when preparing a file to write. Reads are thread-safe.
/// </remarks>
public sealed class FitsHdu
{
    private readonly FitsFile _file;

    private FitsHdu(FitsFile file, int index, FitsHeader header, FitsHduType type, int bitpix, long[] shape,
        long headerOffset, int headerCards, long dataOffset, long dataBytes, FitsScaling scaling)
    {
        _file = file;
        Index = index;
        Header = header;
        Type = type;
        Bitpix = bitpix;
        Shape = shape;
        HeaderOffset = headerOffset;
        HeaderCards = headerCards;
        DataOffset = dataOffset;
        DataBytes = dataBytes;
        Scaling = scaling;
        ExtName = header.TryGetString("EXTNAME", out string? n) ? n : null;
        ExtVer = header.TryGetInt64("EXTVER", out long v) && v >= int.MinValue && v <= int.MaxValue ? (int)v : 1;
    }

    /// <summary>0-based position in the file.</summary>
    public int Index { get; }

    /// <summary>The parsed header (END excluded).</summary>
    public FitsHeader Header { get; }

    /// <summary>The kind of HDU.</summary>
    public FitsHduType Type { get; }

    /// <summary>EXTNAME, or null when absent.</summary>
    public string? ExtName { get; }

    /// <summary>EXTVER, 1 when absent.</summary>
    public int ExtVer { get; }

    /// <summary>BITPIX: 8, 16, 32, 64, -32 or -64.</summary>
    public int Bitpix { get; }

    /// <summary>The axis lengths [NAXIS1, NAXIS2, ...]; empty when NAXIS = 0.</summary>
    public long[] Shape { get; }

    /// <summary>NAXIS1 (the fastest axis), or 0 when NAXIS = 0.</summary>
    public long Width => Shape.Length > 0 ? Shape[0] : 0;

    /// <summary>NAXIS2, or 1 when NAXIS &lt; 2 (0 when NAXIS = 0).</summary>
    public long Height => Shape.Length > 1 ? Shape[1] : Shape.Length == 1 ? 1 : 0;

    /// <summary>Byte offset of the header in the (decompressed) file.</summary>
    public long HeaderOffset { get; }

    /// <summary>Number of 80-character card images in the header, END included.</summary>
    public int HeaderCards { get; }

    /// <summary>Byte offset of the data.</summary>
    public long DataOffset { get; }

    /// <summary>Data size in bytes, without padding (for tables: NAXIS1*NAXIS2 + PCOUNT).</summary>
    public long DataBytes { get; }

    /// <summary>BSCALE, BZERO and BLANK of an image.</summary>
    public FitsScaling Scaling { get; }

    /// <summary>True for the primary HDU and IMAGE extensions (random groups excluded).</summary>
    public bool IsImage => Type is FitsHduType.Primary or FitsHduType.Image && !IsRandomGroups;

    /// <summary>The number of image elements (product of the axes; 0 when NAXIS = 0).</summary>
    public long ElementCount
    {
        get
        {
            if (Shape.Length == 0)
            {
                return 0;
            }

            long n = 1;
            foreach (long a in Shape)
            {
                n *= a;
            }

            return n;
        }
    }

    /// <summary>
    /// The type that holds the physical values exactly: byte, sbyte (BITPIX 8, BZERO -128), short, ushort
    /// (BITPIX 16, BZERO 32768), int, uint (BITPIX 32, BZERO 2^31), long, ulong (BITPIX 64, BZERO 2^63), float,
    /// or double (BITPIX -64, or any other BSCALE/BZERO).
    /// </summary>
    public Type PhysicalType => Scaling.PhysicalType(Bitpix);

    private bool IsRandomGroups => Type == FitsHduType.Primary && Shape.Length > 0 && Shape[0] == 0 && Header.GetBool("GROUPS", false);

    /// <summary>
    /// Reads the whole image as physical values of type <typeparamref name="T"/>, NAXIS1 fastest
    /// (index = x + nx*(y + ny*z)).
    /// </summary>
    /// <typeparam name="T">float, double, int, uint, long, ulong, short, ushort, byte or sbyte.</typeparam>
    /// <returns>The image with a copy of its header.</returns>
    /// <remarks>
    /// Physical value = BZERO + BSCALE × stored. When BSCALE = 1 and BZERO = 0 no arithmetic is done, so -0.0 and
    /// NaN payloads survive. Into float or double, stored BLANK values become NaN. Into an integer type every value
    /// must be an integer in range (e.g. BITPIX 16 with BZERO 32768 read as ushort is exact); BLANK is not
    /// translated.
    /// </remarks>
    /// <exception cref="FitsException">The HDU holds no image, the image is too large for one array, or a value does not fit <typeparamref name="T"/>.</exception>
    public FitsImage<T> ReadImage<T>()
        where T : unmanaged, INumber<T>
    {
        RequireImage();
        long n = ElementCount;
        if (n > Array.MaxLength)
        {
            throw Error($"the image has {n} elements, too many for one array; read it in parts with ReadPixels");
        }

        var data = new T[n];
        ReadPixels(0, data);
        int[] shape = Shape.Select(a => (int)Math.Min(a, int.MaxValue)).ToArray();
        return new FitsImage<T>(data, shape, Header.Clone());
    }

    /// <summary>Reads consecutive image elements (e.g. a band of rows) as physical values.</summary>
    /// <typeparam name="T">As for <see cref="ReadImage{T}"/>.</typeparam>
    /// <param name="firstElement">0-based index of the first element (row y starts at y × NAXIS1).</param>
    /// <param name="destination">Receives <c>destination.Length</c> elements.</param>
    /// <exception cref="FitsException">The HDU holds no image, the range is outside the image, or a value does not fit.</exception>
    public void ReadPixels<T>(long firstElement, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        RequireImage();
        if (firstElement < 0 || firstElement + destination.Length > ElementCount)
        {
            throw Error($"elements {firstElement}..{firstElement + destination.Length} are outside the image of {ElementCount} elements");
        }

        int size = Math.Abs(Bitpix) / 8;
        int chunk = (1 << 20) / size;
        long offset = DataOffset + firstElement * size;
        int done = 0;
        try
        {
            while (done < destination.Length)
            {
                int count = Math.Min(chunk, destination.Length - done);
                ReadOnlySpan<byte> src = _file.Source.Span(offset, count * size);
                PixelCodec.Decode(src, Bitpix, Scaling, destination.Slice(done, count));
                done += count;
                offset += (long)count * size;
            }
        }
        catch (OverflowException)
        {
            throw Error($"a value does not fit {typeof(T).Name}; read the image as {PhysicalType.Name} or double");
        }
        catch (InvalidCastException)
        {
            throw Error($"a non-integer value cannot be read as {typeof(T).Name}; read the image as {PhysicalType.Name} or double");
        }
    }

    /// <summary>Reads the table of a BINTABLE HDU.</summary>
    /// <returns>The table (fixed-width columns; see <see cref="FitsColumn"/>).</returns>
    /// <exception cref="FitsException">The HDU is not a BINTABLE, or its column keywords are invalid.</exception>
    public FitsTable ReadTable()
    {
        if (Type != FitsHduType.BinaryTable)
        {
            throw Error($"HDU {Index} is a {Type}, not a BINTABLE");
        }

        try
        {
            return FitsTable.Read(this, _file.Source);
        }
        catch (FitsException e)
        {
            throw e.WithLocation(_file.Path, Index);
        }
    }

    /// <summary>The raw data bytes as stored (big-endian, unscaled), without padding, in chunks of at most 1 MiB.</summary>
    /// <param name="destination">The stream to write to.</param>
    public void CopyRawData(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long offset = DataOffset;
        long end = DataOffset + DataBytes;
        while (offset < end)
        {
            int count = (int)Math.Min(1 << 20, end - offset);
            destination.Write(_file.Source.Span(offset, count));
            offset += count;
        }
    }

    /// <summary>Verifies the CHECKSUM and DATASUM cards of this HDU (FITS checksum convention).</summary>
    /// <returns>The state of each card: absent, valid or invalid.</returns>
    public FitsChecksumResult VerifyChecksums()
    {
        var acc = new ChecksumAccumulator();
        long offset = DataOffset;
        long end = DataOffset + FitsFile.Pad(DataBytes);
        while (offset < end)
        {
            int count = (int)Math.Min(1 << 20, end - offset);
            acc.Append(_file.Source.Span(offset, count));
            offset += count;
        }

        uint dataSum = acc.Final();
        FitsChecksumStatus datasum = !Header.TryGetString("DATASUM", out string? ds)
            ? FitsChecksumStatus.Absent
            : uint.TryParse(ds.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint stored) && stored == dataSum
                ? FitsChecksumStatus.Valid
                : FitsChecksumStatus.Invalid;
        FitsChecksumStatus checksum = FitsChecksumStatus.Absent;
        if (Header.Contains("CHECKSUM"))
        {
            uint headerSum = FitsChecksum.Add(0, _file.Source.Span(HeaderOffset, checked((int)(DataOffset - HeaderOffset))));
            checksum = FitsChecksum.Combine(headerSum, dataSum) == uint.MaxValue ? FitsChecksumStatus.Valid : FitsChecksumStatus.Invalid;
        }

        return new FitsChecksumResult(checksum, datasum);
    }

    /// <summary>The raw header bytes as stored, END card and padding included.</summary>
    /// <returns>A copy of the bytes.</returns>
    public byte[] RawHeaderBytes() => _file.Source.Span(HeaderOffset, checked((int)(DataOffset - HeaderOffset))).ToArray();

    /// <summary>A short description, e.g. <c>HDU 1 IMAGE SCI,1 BITPIX -32 [4096 x 2048]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"HDU {Index} {Type} {ExtName ?? "-"},{ExtVer} BITPIX {Bitpix} [{string.Join(" x ", Shape)}]");

    internal FitsException Error(string reason) => new(reason, _file.Path, Index);

    private void RequireImage()
    {
        if (!IsImage)
        {
            throw Error($"HDU {Index} is a {Type}, not an image");
        }
    }

    /// <summary>Parses and checks one HDU starting at <paramref name="offset"/>.</summary>
    internal static FitsHdu Read(FitsFile file, int index, long offset)
    {
        ByteSource src = file.Source;
        long length = src.Length;
        var images = new List<string>(36);
        long pos = offset;
        int cardNumber = 0;
        bool ended = false;
        while (!ended)
        {
            if (pos + FitsCard.CardLength > length)
            {
                throw new FitsException($"header truncated (no END card before end of file at byte {length})");
            }

            ReadOnlySpan<byte> card = src.Span(pos, FitsCard.CardLength);
            cardNumber++;
            FitsHeader.CheckAscii(card, cardNumber);
            pos += FitsCard.CardLength;
            if (FitsHeader.IsEnd(card))
            {
                ended = true;
            }
            else
            {
                images.Add(Encoding.ASCII.GetString(card));
            }
        }

        long dataOffset = offset + FitsFile.Pad(pos - offset);
        if (dataOffset > length)
        {
            throw new FitsException($"header truncated: its last block ends at byte {dataOffset}, the file ends at byte {length}");
        }

        FitsHeader header = new(CardParser.ParseAll(images));
        FitsHduType type = FitsHduType.Primary;
        if (index > 0)
        {
            if (header.Count == 0 || header[0].Key != "XTENSION" || header[0].Value is not string xt)
            {
                throw new FitsException("an extension header must start with XTENSION = '...'", cardNumber: 1);
            }

            type = xt.Trim() switch
            {
                "IMAGE" => FitsHduType.Image,
                "BINTABLE" => FitsHduType.BinaryTable,
                "TABLE" => FitsHduType.AsciiTable,
                _ => FitsHduType.Other,
            };
        }

        int bitpix = (int)Mandatory(header, "BITPIX", 2);
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
        {
            throw new FitsException($"invalid BITPIX = {bitpix}");
        }

        long naxis = Mandatory(header, "NAXIS", 3);
        if (naxis is < 0 or > 999)
        {
            throw new FitsException($"invalid NAXIS = {naxis} (must be 0 to 999)");
        }

        var shape = new long[naxis];
        for (int i = 0; i < naxis; i++)
        {
            string key = "NAXIS" + (i + 1).ToString(CultureInfo.InvariantCulture);
            long a = Mandatory(header, key, 4 + i);
            if (a < 0)
            {
                throw new FitsException($"negative {key} = {a}");
            }

            shape[i] = a;
        }

        long pcount = 0, gcount = 1;
        bool groups = type == FitsHduType.Primary && naxis > 0 && shape[0] == 0 && header.GetBool("GROUPS", false);
        if (type != FitsHduType.Primary || groups)
        {
            pcount = OptionalCount(header, "PCOUNT", 0);
            gcount = OptionalCount(header, "GCOUNT", 1);
        }

        if (type == FitsHduType.BinaryTable && (bitpix != 8 || naxis != 2))
        {
            throw new FitsException($"a BINTABLE must have BITPIX = 8 and NAXIS = 2, not {bitpix} and {naxis}");
        }

        long dataBytes;
        try
        {
            long elements = naxis == 0 ? 0 : 1;
            for (int i = groups ? 1 : 0; i < naxis; i++)
            {
                elements = checked(elements * shape[i]);
            }

            if (type != FitsHduType.Primary || groups)
            {
                elements = naxis == 0 && pcount == 0 ? 0 : checked(gcount * (elements + pcount));
            }

            dataBytes = checked(elements * Math.Abs(bitpix) / 8);
            _ = checked(dataOffset + FitsFile.Pad(dataBytes));
        }
        catch (OverflowException)
        {
            throw new FitsException("the data size declared by NAXISn, PCOUNT and GCOUNT is impossibly large");
        }

        if (dataOffset + dataBytes > length)
        {
            throw new FitsException($"data truncated: header declares {dataBytes} data bytes from byte {dataOffset}, the file ends at byte {length}");
        }

        if (dataOffset + FitsFile.Pad(dataBytes) > length)
        {
            throw new FitsException($"data padding truncated: the data of {dataBytes} bytes from byte {dataOffset} must be padded to byte {dataOffset + FitsFile.Pad(dataBytes)}, the file ends at byte {length}");
        }

        FitsScaling scaling = FitsScaling.FromHeader(header, bitpix, type is FitsHduType.Primary or FitsHduType.Image);
        return new FitsHdu(file, index, header, type, bitpix, shape, offset, cardNumber, dataOffset, dataBytes, scaling);
    }

    private static long Mandatory(FitsHeader header, string key, int position)
    {
        if (!header.TryGetCard(key, out FitsCard? card))
        {
            throw new FitsException($"missing mandatory keyword {key} (expected as card {position})");
        }

        if (!card.TryGetInt64(out long v))
        {
            throw new FitsException($"{key} must be an integer, not {Describe(card)}", cardNumber: header.IndexOf(key) + 1);
        }

        return v;
    }

    private static long OptionalCount(FitsHeader header, string key, long defaultValue)
    {
        if (!header.TryGetCard(key, out FitsCard? card))
        {
            return defaultValue;
        }

        if (!card.TryGetInt64(out long v) || v < 0)
        {
            throw new FitsException($"{key} must be a non-negative integer, not {Describe(card)}");
        }

        return v;
    }

    private static string Describe(FitsCard card) => card.Kind switch
    {
        FitsValueKind.String => "'" + card.Value + "'",
        FitsValueKind.Undefined => "undefined",
        _ => Convert.ToString(card.Value, CultureInfo.InvariantCulture) ?? "undefined",
    };
}
