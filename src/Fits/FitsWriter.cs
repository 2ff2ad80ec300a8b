using System.Globalization;
using System.Numerics;

namespace TweakDrizzle.Fits;

/// <summary>Options for <see cref="FitsWriter"/>.</summary>
public sealed record FitsWriteOptions
{
    /// <summary>Write CHECKSUM and DATASUM cards in every HDU (FITS checksum convention). Default false.</summary>
    public bool Checksum { get; init; }

    /// <summary>Replace an existing file. Default true; when false an existing file is an error.</summary>
    public bool Overwrite { get; init; } = true;
}

/// <summary>
/// Writes FITS files atomically: everything goes to a temporary file in the destination folder, which is renamed
/// over the destination only when complete, so a reader never sees a partial file.
/// </summary>
/// <remarks>Headers are padded with spaces and data with zeros to whole 2880-byte blocks. Thread-safe (no shared state).</remarks>
public static class FitsWriter
{
    /// <summary>Writes HDUs in order; a table given first gets an empty primary HDU in front of it.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="hdus">The HDUs (see <see cref="FitsWriteHdu"/>).</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="FitsException">The file cannot be written (the destination is left as it was).</exception>
    public static void Write(string path, IEnumerable<FitsWriteHdu> hdus, FitsWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(hdus);
        options ??= new FitsWriteOptions();
        var list = hdus.ToList();
        if (list.Count == 0 || list[0].IsTable)
        {
            list.Insert(0, FitsWriteHdu.Empty());
        }

        if (!options.Overwrite && File.Exists(path))
        {
            throw new FitsException("the file already exists", path);
        }

        WriteAtomically(path, stream =>
        {
            for (int i = 0; i < list.Count; i++)
            {
                WriteHdu(stream, list[i], i == 0, options.Checksum);
            }
        });
    }

    /// <summary>Writes one image as the primary HDU.</summary>
    /// <typeparam name="T">float, double, byte, sbyte, short, ushort, int, uint, long or ulong.</typeparam>
    /// <param name="path">The destination file.</param>
    /// <param name="image">The image; its non-structural header cards are kept.</param>
    /// <param name="options">Options, or null.</param>
    /// <exception cref="FitsException">The file cannot be written.</exception>
    public static void Write<T>(string path, FitsImage<T> image, FitsWriteOptions? options = null)
        where T : unmanaged, INumber<T> => Write(path, [FitsWriteHdu.Image(image)], options);

    /// <summary>Copies every HDU of a FITS file (plain or .gz) to an uncompressed file, headers and data bit for bit.</summary>
    /// <param name="source">The input file.</param>
    /// <param name="destination">The output file.</param>
    /// <param name="options">Options, or null (with <see cref="FitsWriteOptions.Checksum"/> the copies get CHECKSUM/DATASUM).</param>
    /// <exception cref="FitsException">The input is not valid FITS or the output cannot be written.</exception>
    public static void Copy(string source, string destination, FitsWriteOptions? options = null)
    {
        using FitsFile file = FitsFile.Open(source);
        Write(destination, file.Hdus.Select(FitsWriteHdu.Copy), options);
    }

    /// <summary>
    /// Replaces the header of one HDU. When the new header needs no more 2880-byte blocks than the old one it is
    /// written in place (padding with blank cards); otherwise the whole file is rewritten atomically. The data is
    /// never changed, so structural keywords (BITPIX, NAXISn, ...) must keep their values.
    /// </summary>
    /// <param name="path">An uncompressed FITS file.</param>
    /// <param name="hduIndex">The 0-based HDU.</param>
    /// <param name="header">The new header (END excluded).</param>
    /// <param name="options">Options; with <see cref="FitsWriteOptions.Checksum"/> CHECKSUM/DATASUM of that HDU are updated.</param>
    /// <returns>True when the header was updated in place, false when the file was rewritten.</returns>
    /// <exception cref="FitsException">The file is invalid or compressed, the HDU does not exist, or the new header changes the data layout.</exception>
    public static bool UpdateHeader(string path, int hduIndex, FitsHeader header, FitsWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        options ??= new FitsWriteOptions();
        FitsHeader newHeader = header.Clone();
        long headerOffset, oldHeaderBytes;
        uint dataSum = 0;
        using (FitsFile file = FitsFile.Open(path))
        {
            if (IsGzip(path))
            {
                throw new FitsException("a compressed file cannot be updated in place; write a new file instead", path);
            }

            if (hduIndex < 0 || hduIndex >= file.Hdus.Count)
            {
                throw new FitsException($"there is no HDU {hduIndex}; the file has {file.Hdus.Count}", path);
            }

            FitsHdu hdu = file.Hdus[hduIndex];
            CheckSameLayout(hdu, newHeader, path);
            headerOffset = hdu.HeaderOffset;
            oldHeaderBytes = hdu.DataOffset - hdu.HeaderOffset;
            if (options.Checksum)
            {
                var acc = new ChecksumAccumulator();
                hdu.CopyRawData(new FitsWriteHdu.TeeStream(Stream.Null, acc));
                dataSum = acc.Final();
            }

            if (options.Checksum)
            {
                SetChecksums(newHeader, dataSum);
            }
            else
            {
                newHeader.RemoveAll("CHECKSUM");
                newHeader.RemoveAll("DATASUM");
            }

            byte[] bytes = newHeader.ToBytes();
            if (bytes.Length != oldHeaderBytes)
            {
                if (bytes.Length < oldHeaderBytes)
                {
                    // Fits in place: pad the header with blank cards up to the old size.
                    bytes = PadHeader(newHeader, (int)oldHeaderBytes, dataSum, options.Checksum);
                }
                else
                {
                    var hdus = new List<FitsWriteHdu>();
                    for (int i = 0; i < file.Hdus.Count; i++)
                    {
                        hdus.Add(i == hduIndex ? new HeaderReplacedCopy(file.Hdus[i], newHeader) : FitsWriteHdu.Copy(file.Hdus[i]));
                    }

                    WriteAtomically(path, stream =>
                    {
                        for (int i = 0; i < hdus.Count; i++)
                        {
                            WriteHdu(stream, hdus[i], i == 0, options.Checksum && i == hduIndex);
                        }
                    });
                    return false;
                }
            }

            file.Dispose();
            try
            {
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
                fs.Position = headerOffset;
                fs.Write(bytes);
                fs.Flush(true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FitsException($"cannot update the header in place: {e.Message}", path, hduIndex, innerException: e);
            }

            return true;
        }
    }

    private static bool IsGzip(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return fs.ReadByte() == 0x1f && fs.ReadByte() == 0x8b;
    }

    private static void CheckSameLayout(FitsHdu hdu, FitsHeader header, string path)
    {
        foreach (string key in (ReadOnlySpan<string>)["BITPIX", "NAXIS", "PCOUNT", "GCOUNT"])
        {
            CheckSame(key);
        }

        for (int i = 1; i <= hdu.Shape.Length; i++)
        {
            CheckSame("NAXIS" + i.ToString(CultureInfo.InvariantCulture));
        }

        if (header.Count == 0 || header[0].Key != hdu.Header[0].Key)
        {
            throw new FitsException($"the new header must start with {hdu.Header[0].Key}", path, hdu.Index);
        }

        void CheckSame(string key)
        {
            bool had = hdu.Header.TryGetInt64(key, out long a);
            bool has = header.TryGetInt64(key, out long b);
            if (had != has || a != b)
            {
                throw new FitsException($"the new header changes {key}; the data layout cannot change in a header update", path, hdu.Index);
            }
        }
    }

    private static byte[] PadHeader(FitsHeader header, int size, uint dataSum, bool checksum)
    {
        FitsHeader padded = header.Clone();
        padded.RemoveAll("CHECKSUM");
        padded.RemoveAll("DATASUM");
        int cardsWanted = (size / FitsCard.CardLength) - 1 - (checksum ? 2 : 0);
        while (padded.CardImageCount - 1 < cardsWanted)
        {
            padded.Add(FitsCard.Commentary(string.Empty, string.Empty));
        }

        if (checksum)
        {
            SetChecksums(padded, dataSum);
        }

        byte[] bytes = padded.ToBytes();
        return bytes.Length == size ? bytes : throw new InvalidOperationException("Header padding produced the wrong size.");
    }

    private static void WriteHdu(Stream stream, FitsWriteHdu hdu, bool primary, bool checksum)
    {
        // Generated headers never carry CHECKSUM/DATASUM from the user; an unchanged copy keeps its valid ones.
        FitsHeader header = hdu.BuildHeader(primary);
        ChecksumAccumulator? acc = checksum ? new ChecksumAccumulator() : null;
        if (checksum)
        {
            SetChecksums(header, 0);
        }

        long headerPosition = stream.Position;
        stream.Write(header.ToBytes());
        hdu.WriteData(stream, acc);
        long pad = FitsFile.Pad(hdu.DataBytes) - hdu.DataBytes;
        if (pad > 0)
        {
            stream.Write(new byte[pad]);
        }

        if (acc is not null)
        {
            SetChecksums(header, acc.Final());
            long end = stream.Position;
            stream.Position = headerPosition;
            stream.Write(header.ToBytes());
            stream.Position = end;
        }
    }

    /// <summary>Sets DATASUM and a CHECKSUM that makes the HDU sum to -0 (all ones).</summary>
    private static void SetChecksums(FitsHeader header, uint dataSum)
    {
        header.RemoveAll("CHECKSUM");
        header.RemoveAll("DATASUM");
        header.Add(FitsCard.Create("CHECKSUM", "0000000000000000", "HDU checksum"));
        header.Add(FitsCard.Create("DATASUM", dataSum.ToString(CultureInfo.InvariantCulture), "data unit checksum"));
        uint headerSum = FitsChecksum.Add(0, header.ToBytes());
        uint total = FitsChecksum.Combine(headerSum, dataSum);
        header.Set("CHECKSUM", FitsChecksum.Encode(~total));
    }

    internal static void WriteAtomically(string path, Action<FileStream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new FitsException($"cannot write the file: {e.Message}", path, innerException: e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is left behind; nothing else can be done.
        }
    }

    /// <summary>A copy of an HDU's data under a replacement header.</summary>
    private sealed class HeaderReplacedCopy(FitsHdu hdu, FitsHeader header) : FitsWriteHdu(header)
    {
        internal override long DataBytes => hdu.DataBytes;

        internal override FitsHeader BuildHeader(bool primary) => Header.Clone();

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
    }
}
