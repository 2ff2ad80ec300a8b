using System.Numerics;

namespace TweakDrizzle.Fits;

/// <summary>
/// An open FITS file: every HDU's header parsed and checked at open time, data read on demand.
/// </summary>
/// <remarks>
/// <para>
/// Opening checks the whole structure: every header (printable ASCII, END present, valid BITPIX and NAXISn) and
/// that the file holds every HDU's data and padding. Any defect raises one <see cref="FitsException"/> naming the
/// file, HDU, card or byte offset. Bytes after the last HDU that do not start an <c>XTENSION</c> header are ignored.
/// </para>
/// <para>
/// Files of 1 MiB and more are memory-mapped (files over 2 GB work: offsets are 64-bit and data is read in
/// chunks); smaller files are read into memory. <c>.fits.gz</c> files (recognised by the gzip signature) are
/// decompressed transparently, to a temporary file when large.
/// </para>
/// <para>Thread safety: after <see cref="Open(string)"/> returns, any number of threads may read concurrently.
/// <see cref="Dispose"/> must not race with reads.</para>
/// </remarks>
public sealed class FitsFile : IDisposable
{
    /// <summary>The FITS block size in bytes.</summary>
    public const int BlockSize = 2880;

    private readonly ByteSource _source;
    private readonly List<FitsHdu> _hdus;

    private FitsFile(ByteSource source, string? path)
    {
        _source = source;
        Path = path;
        try
        {
            _hdus = Scan();
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>The path the file was opened from, or null for an in-memory file.</summary>
    public string? Path { get; }

    /// <summary>The HDUs in file order (index 0 is the primary HDU).</summary>
    public IReadOnlyList<FitsHdu> Hdus => _hdus;

    /// <summary>The length of the (decompressed) file in bytes.</summary>
    public long Length => _source.Length;

    internal ByteSource Source => _source;

    /// <summary>Opens and checks a FITS file (plain or gzip-compressed).</summary>
    /// <param name="path">The file path (without an HDU selector; see <see cref="FitsSpec"/>).</param>
    /// <returns>The open file; dispose it when done.</returns>
    /// <exception cref="FitsException">The file cannot be read or is not valid FITS.</exception>
    public static FitsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new FitsFile(ByteSource.Open(path), path);
    }

    /// <summary>Reads a FITS file held in memory (plain, or gzip-compressed).</summary>
    /// <param name="bytes">The file bytes; a plain file is not copied, so do not modify them while the file is in use.</param>
    /// <param name="name">A name used in error messages, or null.</param>
    /// <returns>The file.</returns>
    /// <exception cref="FitsException">The bytes are not valid FITS.</exception>
    public static FitsFile FromBytes(byte[] bytes, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new FitsFile(ByteSource.FromBytes(bytes, name), name);
    }

    /// <summary>Reads the image addressed by a spec such as <c>file.fits[SCI,2]</c> as physical values of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">float, double, int, uint, long, short, ushort, byte or sbyte (see <see cref="FitsHdu.ReadImage{T}"/>).</typeparam>
    /// <param name="spec">The address (see <see cref="FitsSpec"/>).</param>
    /// <returns>The image with its header.</returns>
    /// <exception cref="FitsException">The file is invalid, the HDU does not exist or holds no image, or a value does not fit <typeparamref name="T"/>.</exception>
    public static FitsImage<T> ReadImage<T>(string spec)
        where T : unmanaged, INumber<T>
    {
        FitsSpec s = FitsSpec.Parse(spec);
        using FitsFile file = Open(s.Path);
        return file.Select(s).ReadImage<T>();
    }

    /// <summary>
    /// Reads the header addressed by a spec (<c>file.fits[SCI,2]</c>), or a text file of 80-character cards when the
    /// file does not start like FITS (the <c>.hdr</c> form).
    /// </summary>
    /// <param name="spec">The address.</param>
    /// <returns>The header.</returns>
    /// <exception cref="FitsException">The file cannot be read or the HDU does not exist.</exception>
    public static FitsHeader ReadHeader(string spec)
    {
        FitsSpec s = FitsSpec.Parse(spec);
        if (s.IsDefault && LooksLikeCardText(s.Path))
        {
            return FitsHeader.ReadCardFile(s.Path);
        }

        using FitsFile file = Open(s.Path);
        return file.Select(s).Header;
    }

    /// <summary>The HDU addressed by a spec: index, EXTNAME[,EXTVER], or (no selector) the first HDU holding image data.</summary>
    /// <param name="spec">The address; its path is ignored.</param>
    /// <returns>The HDU.</returns>
    /// <exception cref="FitsException">No such HDU.</exception>
    public FitsHdu Select(FitsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Index is int i)
        {
            return i < _hdus.Count ? _hdus[i] : throw new FitsException($"there is no HDU {i}; the file has {_hdus.Count}", Path);
        }

        if (spec.ExtName is string name)
        {
            return Find(name, spec.ExtVer) ?? throw new FitsException(
                spec.ExtVer is int v ? $"no HDU has EXTNAME = '{name}' and EXTVER = {v}" : $"no HDU has EXTNAME = '{name}'", Path);
        }

        return FirstImage ?? throw new FitsException("no HDU holds image data", Path);
    }

    /// <summary>The HDU addressed by selector text such as <c>SCI,2</c>, <c>[3]</c> or <c>3</c>.</summary>
    /// <param name="selector">The selector, with or without brackets; empty for the first image.</param>
    /// <returns>The HDU.</returns>
    /// <exception cref="FitsException">Malformed selector or no such HDU.</exception>
    public FitsHdu Select(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        string s = selector.Trim();
        if (s.Length == 0)
        {
            return Select(new FitsSpec("x"));
        }

        return Select(FitsSpec.Parse("x" + (s.StartsWith('[') ? s : "[" + s + "]")));
    }

    /// <summary>The first HDU with this EXTNAME (case-insensitive) and, when given, EXTVER; or null.</summary>
    /// <param name="extName">The extension name.</param>
    /// <param name="extVer">The version, or null for any.</param>
    /// <returns>The HDU or null.</returns>
    public FitsHdu? Find(string extName, int? extVer = null)
    {
        ArgumentNullException.ThrowIfNull(extName);
        foreach (FitsHdu h in _hdus)
        {
            if (h.ExtName is not null && string.Equals(h.ExtName.Trim(), extName.Trim(), StringComparison.OrdinalIgnoreCase)
                && (extVer is null || h.ExtVer == extVer))
            {
                return h;
            }
        }

        return null;
    }

    /// <summary>The first HDU (primary or IMAGE extension) holding image data, or null.</summary>
    public FitsHdu? FirstImage => _hdus.FirstOrDefault(h => h.IsImage && h.ElementCount > 0);

    /// <inheritdoc/>
    public void Dispose() => _source.Dispose();

    /// <summary>True when the file is a text file of 80-character header cards (its first card holds a line break), not FITS.</summary>
    /// <param name="path">The file.</param>
    public static bool LooksLikeCardText(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> head = stackalloc byte[81];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
            {
                return false;
            }

            // A FITS file has no line break in its first card; a card text file has one within 81 characters.
            return head[..n].IndexOfAny((byte)'\n', (byte)'\r') >= 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private List<FitsHdu> Scan()
    {
        var hdus = new List<FitsHdu>();
        long offset = 0;
        long length = _source.Length;
        if (length == 0)
        {
            throw new FitsException("the file is empty", Path);
        }

        while (offset < length)
        {
            int index = hdus.Count;
            if (index > 0)
            {
                // Anything after the last HDU that does not start an extension is ignored (trailing junk or zeros);
                // a file cut inside the word XTENSION is a truncated extension header.
                int probe = (int)Math.Min(8, length - offset);
                if (!"XTENSION"u8[..probe].SequenceEqual(_source.Span(offset, probe)))
                {
                    break;
                }
            }
            else if (length < 80 || !IsSimpleCard(_source.Span(0, 80)))
            {
                throw new FitsException("not a FITS file: it does not start with the card SIMPLE = T", Path);
            }

            try
            {
                FitsHdu hdu = FitsHdu.Read(this, index, offset);
                hdus.Add(hdu);
                offset = hdu.DataOffset + Pad(hdu.DataBytes);
            }
            catch (FitsException e)
            {
                throw e.WithLocation(Path, index, offset);
            }
        }

        return hdus;
    }

    private static bool IsSimpleCard(ReadOnlySpan<byte> card)
    {
        if (!card.StartsWith("SIMPLE  ="u8))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = card[9..].TrimStart((byte)' ');
        return rest.Length > 0 && rest[0] == (byte)'T' && (rest.Length == 1 || rest[1] is (byte)' ' or (byte)'/');
    }

    /// <summary>Rounds a byte count up to a whole number of blocks.</summary>
    internal static long Pad(long bytes) => (bytes + BlockSize - 1) / BlockSize * BlockSize;
}
