using System.Numerics;
using System.Runtime.InteropServices;

namespace TweakDrizzle.Fits;

/// <summary>
/// One HDU to write with <see cref="FitsWriter"/>: an image (any pixel type), an empty HDU, a BINTABLE, or a
/// bit-for-bit copy of an HDU of an open file.
/// </summary>
/// <remarks>
/// The writer generates the structural keywords (SIMPLE or XTENSION, BITPIX, NAXIS, NAXISn, EXTEND, PCOUNT,
/// GCOUNT, BSCALE/BZERO for unsigned and signed-byte types, table column keywords) and keeps every other card of
/// <see cref="Header"/> in order. Pixel types map to storage as: float → -32, double → -64, byte → 8,
/// sbyte → 8 + BZERO -128, short → 16, ushort → 16 + BZERO 32768, int → 32, uint → 32 + BZERO 2147483648,
/// long → 64, ulong → 64 + BZERO 2^63.
/// </remarks>
public abstract class FitsWriteHdu
{
    private protected FitsWriteHdu(FitsHeader header)
    {
        Header = header;
    }

    /// <summary>The user cards to write (a copy; structural keywords in it are replaced by the writer's own).</summary>
    public FitsHeader Header { get; }

    internal virtual bool IsTable => false;

    /// <summary>An HDU with no data (NAXIS = 0), e.g. the primary HDU of a multi-extension file.</summary>
    /// <param name="header">Cards to keep, or null.</param>
    /// <returns>The HDU to write.</returns>
    public static FitsWriteHdu Empty(FitsHeader? header = null) => new ImageHdu<byte>([], [], header?.Clone() ?? new FitsHeader());

    /// <summary>An image HDU.</summary>
    /// <typeparam name="T">float, double, byte, sbyte, short, ushort, int, uint, long or ulong.</typeparam>
    /// <param name="data">The pixels, NAXIS1 fastest (not copied: do not modify it until written).</param>
    /// <param name="shape">[NAXIS1, NAXIS2, ...].</param>
    /// <param name="header">Cards to keep (EXTNAME, WCS, ...), or null.</param>
    /// <returns>The HDU to write.</returns>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no FITS storage type.</exception>
    public static FitsWriteHdu Image<T>(T[] data, int[] shape, FitsHeader? header = null)
        where T : unmanaged, INumber<T>
    {
        _ = PixelCodec.StorageOf<T>();
        var checkedImage = new FitsImage<T>(data, shape, header);
        return new ImageHdu<T>(checkedImage.Data, checkedImage.Shape, header?.Clone() ?? new FitsHeader());
    }

    /// <summary>
    /// An image HDU whose pixels are not given now but written later, piece by piece, through
    /// <see cref="FitsStreamWriter.WritePixels{T}(int, long, ReadOnlySpan{T})"/> (pixels never written read as 0).
    /// Only <see cref="FitsStreamWriter"/> accepts it.
    /// </summary>
    /// <typeparam name="T">float, double, byte, sbyte, short, ushort, int, uint, long or ulong.</typeparam>
    /// <param name="shape">[NAXIS1, NAXIS2, ...], each at least 1.</param>
    /// <param name="header">Cards to keep (EXTNAME, WCS, ...), or null.</param>
    /// <returns>The HDU to declare.</returns>
    /// <exception cref="ArgumentException">An axis is smaller than 1.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no FITS storage type.</exception>
    public static FitsWriteHdu Declared<T>(long[] shape, FitsHeader? header = null)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        _ = PixelCodec.StorageOf<T>();
        if (shape.Length == 0 || shape.Any(a => a < 1))
        {
            throw new ArgumentException("every axis of a declared image must be at least 1", nameof(shape));
        }

        return new DeclaredImageHdu<T>([.. shape], header?.Clone() ?? new FitsHeader());
    }

    /// <summary>An image HDU from an image in memory (its header's non-structural cards are kept).</summary>
    /// <typeparam name="T">As for <see cref="Image{T}(T[], int[], FitsHeader?)"/>.</typeparam>
    /// <param name="image">The image.</param>
    /// <returns>The HDU to write.</returns>
    public static FitsWriteHdu Image<T>(FitsImage<T> image)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        return Image(image.Data, image.Shape, image.Header);
    }

    /// <summary>A bit-for-bit copy of an HDU of an open file (header cards and stored data unchanged).</summary>
    /// <param name="hdu">The HDU; its file must stay open until written.</param>
    /// <returns>The HDU to write.</returns>
    /// <remarks>A primary HDU written as an extension (or an IMAGE extension written first) gets XTENSION/PCOUNT/GCOUNT
    /// (or SIMPLE/EXTEND) in place of its first structural cards; everything else stays as it was.</remarks>
    public static FitsWriteHdu Copy(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        return new CopyHdu(hdu);
    }

    /// <summary>A BINTABLE extension holding a table.</summary>
    /// <param name="table">The columns.</param>
    /// <param name="header">Cards to keep (EXTNAME, TUNITn, ...), or null.</param>
    /// <returns>The HDU to write.</returns>
    public static FitsWriteHdu Table(FitsTable table, FitsHeader? header = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new TableHdu(table, header?.Clone() ?? new FitsHeader());
    }

    /// <summary>Sets EXTNAME and EXTVER in <see cref="Header"/>.</summary>
    /// <param name="extName">The extension name, e.g. SCI.</param>
    /// <param name="extVer">The version, 1 by default.</param>
    /// <returns>This HDU, for chaining.</returns>
    public FitsWriteHdu Named(string extName, int extVer = 1)
    {
        Header.Set("EXTNAME", extName, "extension name");
        Header.Set("EXTVER", extVer, "extension version");
        return this;
    }

    /// <summary>The full header (structural keywords first, END excluded) for this position in the file.</summary>
    internal abstract FitsHeader BuildHeader(bool primary);

    /// <summary>Data bytes without padding.</summary>
    internal abstract long DataBytes { get; }

    /// <summary>Writes the data (without padding).</summary>
    internal abstract void WriteData(Stream stream, ChecksumAccumulator? sum);

    /// <summary>The element type of a <see cref="Declared{T}"/> image (its pixels come later), else null.</summary>
    internal virtual Type? DeclaredElementType => null;

    /// <summary>The header of an image of <typeparamref name="T"/> pixels: structural cards (with BSCALE/BZERO for the offset types), then the user's.</summary>
    internal static FitsHeader ImageHeader<T>(bool primary, IReadOnlyList<long> shape, FitsHeader user)
        where T : unmanaged
    {
        (int bitpix, double bzero) = PixelCodec.StorageOf<T>();
        return ImageHeader(primary, bitpix, bzero, shape, user);
    }

    private static FitsHeader ImageHeader(bool primary, int bitpix, double bzero, IReadOnlyList<long> shape, FitsHeader user)
    {
        FitsHeader h = Structural(primary, bitpix, shape, "IMAGE");
        if (bzero != 0)
        {
            h.Add(FitsCard.Create("BSCALE", 1));
            h.Add(FitsCard.Create("BZERO", bzero == 9223372036854775808.0 ? (object)new BigInteger(bzero) : (long)bzero));
        }

        AppendUserCards(h, user, table: false, dropBlank: bitpix < 0);
        return h;
    }

    internal static bool IsStructural(string key, bool table)
    {
        switch (key)
        {
            case "SIMPLE" or "XTENSION" or "BITPIX" or "NAXIS" or "EXTEND" or "PCOUNT" or "GCOUNT" or "GROUPS"
                or "BSCALE" or "BZERO" or "CHECKSUM" or "DATASUM" or "END":
                return true;
            case "TFIELDS" or "THEAP":
                return table;
        }

        if (key.StartsWith("NAXIS", StringComparison.Ordinal) && key.Length > 5 && key[5..].All(char.IsAsciiDigit))
        {
            return true;
        }

        if (table)
        {
            foreach (string p in (ReadOnlySpan<string>)["TTYPE", "TFORM", "TDIM", "TSCAL", "TZERO", "TNULL"])
            {
                if (key.StartsWith(p, StringComparison.Ordinal) && key.Length > p.Length && key[p.Length..].All(char.IsAsciiDigit))
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal static FitsHeader Structural(bool primary, int bitpix, IReadOnlyList<long> shape, string xtension, long pcount = 0)
    {
        var h = new FitsHeader();
        if (primary)
        {
            h.Add(FitsCard.Create("SIMPLE", true, "conforms to FITS standard"));
        }
        else
        {
            h.Add(FitsCard.Create("XTENSION", xtension, xtension == "IMAGE" ? "Image extension" : "binary table extension"));
        }

        h.Add(FitsCard.Create("BITPIX", bitpix, "array data type"));
        h.Add(FitsCard.Create("NAXIS", shape.Count, "number of array dimensions"));
        for (int i = 0; i < shape.Count; i++)
        {
            h.Add(FitsCard.Create("NAXIS" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), shape[i]));
        }

        if (primary)
        {
            h.Add(FitsCard.Create("EXTEND", true));
        }
        else
        {
            h.Add(FitsCard.Create("PCOUNT", pcount, "number of parameters"));
            h.Add(FitsCard.Create("GCOUNT", 1, "number of groups"));
        }

        return h;
    }

    internal static void AppendUserCards(FitsHeader target, FitsHeader user, bool table, bool dropBlank)
    {
        bool longStrings = user.Any(c => c.RawText.Length > FitsCard.CardLength) && !user.Contains("LONGSTRN");
        if (longStrings)
        {
            // fitsverify expects the OGIP declaration when CONTINUE cards are used.
            target.Add(FitsCard.Create("LONGSTRN", "OGIP 1.0", "The OGIP long string convention may be used"));
        }

        foreach (FitsCard c in user)
        {
            if (!IsStructural(c.Key, table) && !(dropBlank && c.Key == "BLANK"))
            {
                target.Add(c);
            }
        }
    }

    private sealed class ImageHdu<T>(T[] data, int[] shape, FitsHeader header) : FitsWriteHdu(header)
        where T : unmanaged
    {
        internal override long DataBytes => shape.Length == 0 ? 0 : (long)data.Length * Marshal.SizeOf<T>();

        internal override FitsHeader BuildHeader(bool primary) =>
            shape.Length == 0 ? ImageHeader(primary, 8, 0, [], Header) : ImageHeader<T>(primary, shape.Select(a => (long)a).ToArray(), Header);

        internal override void WriteData(Stream stream, ChecksumAccumulator? sum)
        {
            if (shape.Length == 0)
            {
                return;
            }

            int size = Marshal.SizeOf<T>();
            int chunk = (1 << 20) / size;
            byte[] buffer = new byte[chunk * size];
            for (int i = 0; i < data.Length; i += chunk)
            {
                int n = Math.Min(chunk, data.Length - i);
                Span<byte> bytes = buffer.AsSpan(0, n * size);
                PixelCodec.Encode<T>(data.AsSpan(i, n), bytes);
                stream.Write(bytes);
                sum?.Append(bytes);
            }
        }
    }

    /// <summary>An image whose data area is reserved now and filled later by <see cref="FitsStreamWriter"/>.</summary>
    private sealed class DeclaredImageHdu<T>(long[] shape, FitsHeader header) : FitsWriteHdu(header)
        where T : unmanaged
    {
        internal long ElementCount => shape.Aggregate(1L, (a, b) => a * b);

        internal override long DataBytes => ElementCount * Marshal.SizeOf<T>();

        internal override Type? DeclaredElementType => typeof(T);

        internal override FitsHeader BuildHeader(bool primary) => ImageHeader<T>(primary, shape, Header);

        internal override void WriteData(Stream stream, ChecksumAccumulator? sum) =>
            throw new InvalidOperationException("A declared image is written through FitsStreamWriter.");
    }

    private sealed class CopyHdu(FitsHdu hdu) : FitsWriteHdu(hdu.Header.Clone())
    {
        internal override bool IsTable => !hdu.IsImage;

        internal override long DataBytes => hdu.DataBytes;

        internal override FitsHeader BuildHeader(bool primary)
        {
            FitsHeader h = Header.Clone();
            bool wasPrimary = hdu.Type == FitsHduType.Primary;
            if (primary == wasPrimary)
            {
                return h;
            }

            if (!hdu.IsImage)
            {
                throw new InvalidOperationException("Only an image HDU can become the primary HDU.");
            }

            h.RemoveAll("CHECKSUM");
            h.RemoveAll("DATASUM");
            if (primary)
            {
                h.RemoveAt(0);
                h.Insert(0, FitsCard.Create("SIMPLE", true, "conforms to FITS standard"));
                h.Remove("PCOUNT");
                h.Remove("GCOUNT");
                h.InsertAfter(LastAxisKey(), "EXTEND", true);
            }
            else
            {
                h.RemoveAt(0);
                h.Insert(0, FitsCard.Create("XTENSION", "IMAGE", "Image extension"));
                h.Remove("EXTEND");
                string after = LastAxisKey();
                h.InsertAfter(after, "PCOUNT", 0, "number of parameters");
                h.InsertAfter("PCOUNT", "GCOUNT", 1, "number of groups");
            }

            return h;
        }

        internal override void WriteData(Stream stream, ChecksumAccumulator? sum)
        {
            if (sum is null)
            {
                hdu.CopyRawData(stream);
            }
            else
            {
                hdu.CopyRawData(new TeeStream(stream, sum));
            }
        }

        private string LastAxisKey() => hdu.Shape.Length == 0
            ? "NAXIS"
            : "NAXIS" + hdu.Shape.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class TableHdu(FitsTable table, FitsHeader header) : FitsWriteHdu(header)
    {
        internal override bool IsTable => true;

        internal override long DataBytes => (long)table.RowBytes * table.RowCount;

        internal override FitsHeader BuildHeader(bool primary) => table.BuildHeader(Header);

        internal override void WriteData(Stream stream, ChecksumAccumulator? sum) => table.WriteRows(stream, sum);
    }

    /// <summary>Forwards writes to a stream and a checksum.</summary>
    internal sealed class TeeStream(Stream inner, ChecksumAccumulator sum) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            sum.Append(buffer);
        }
    }
}
