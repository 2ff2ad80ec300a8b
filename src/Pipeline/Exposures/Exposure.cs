using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline;

/// <summary>What the pixel values of an exposure measure.</summary>
public enum DataUnits
{
    /// <summary>Accumulated counts (BUNIT ELECTRONS, COUNTS, DN, ADU or absent): divide by the exposure time for a rate.</summary>
    Counts,

    /// <summary>Count rates (BUNIT ending in /S or /SEC, e.g. ELECTRONS/S).</summary>
    CountRate,
}

/// <summary>A file cannot be used as an exposure (no image, mismatched extensions, no WCS, ...).</summary>
public sealed class ExposureException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public ExposureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    /// <param name="innerException">The cause.</param>
    public ExposureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Options for <see cref="Exposure.Load(string, ExposureLoadOptions?)"/>.</summary>
public sealed record ExposureLoadOptions
{
    /// <summary>Read the ERR extensions (when present).</summary>
    public bool ReadErr { get; init; } = true;

    /// <summary>Read the DQ extensions (when present).</summary>
    public bool ReadDq { get; init; } = true;

    /// <summary>Exposure time to use instead of the EXPTIME keyword (seconds), or null.</summary>
    public double? ExposureTime { get; init; }

    /// <summary>
    /// Read the pixel arrays (SCI, and ERR and DQ as selected). False gives a header-only exposure: every chip has its
    /// name, size, header and WCS (and the exposure its time, units and primary header) exactly as a full load, but no
    /// pixels (<see cref="Chip.HasPixels"/> is false); <see cref="Exposure.ReadChip(int, ExposureLoadOptions?)"/> reads
    /// one chip's pixels when they are needed. A 4096x2048 chip then costs a few kB instead of 64 MB (SCI and DQ).
    /// </summary>
    public bool ReadPixels { get; init; } = true;
}

/// <summary>One chip (detector readout) of an exposure: SCI pixels, optional ERR and DQ, and its WCS.</summary>
/// <remarks>Arrays are row-major (index y·Width + x), 0-based pixel centres at integers. Not copied: treat as read-only.</remarks>
public sealed class Chip
{
    private readonly float[]? _sci;

    /// <summary>Creates a chip.</summary>
    /// <param name="name">Display name, e.g. <c>j8ny01suq_flc.fits[SCI,1]</c>.</param>
    /// <param name="extVer">EXTVER of the chip (1 for a plain image).</param>
    /// <param name="width">NAXIS1.</param>
    /// <param name="height">NAXIS2.</param>
    /// <param name="sci">Science pixels (Width·Height).</param>
    /// <param name="err">Error pixels or null.</param>
    /// <param name="dq">DQ flags or null.</param>
    /// <param name="wcs">The chip's WCS.</param>
    /// <param name="header">The SCI header.</param>
    /// <exception cref="ExposureException">An array has the wrong length.</exception>
    public Chip(string name, int extVer, int width, int height, float[] sci, float[]? err, uint[]? dq, FitsWcs wcs, FitsHeader header)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sci);
        ArgumentNullException.ThrowIfNull(wcs);
        ArgumentNullException.ThrowIfNull(header);
        long n = (long)width * height;
        if (width <= 0 || height <= 0 || sci.Length != n || (err is not null && err.Length != n) || (dq is not null && dq.Length != n))
        {
            throw new ExposureException($"{name}: SCI, ERR and DQ must all be {width}x{height} pixels.");
        }

        Name = name;
        ExtVer = extVer;
        Width = width;
        Height = height;
        _sci = sci;
        Err = err;
        Dq = dq;
        HasErr = err is not null;
        HasDq = dq is not null;
        Wcs = wcs;
        Header = header;
    }

    /// <summary>A header-only chip (no pixel arrays), from a load with <see cref="ExposureLoadOptions.ReadPixels"/> false.</summary>
    internal Chip(string name, int extVer, int width, int height, bool hasErr, bool hasDq, FitsWcs wcs, FitsHeader header, int hduIndex)
    {
        Name = name;
        ExtVer = extVer;
        Width = width;
        Height = height;
        HasErr = hasErr;
        HasDq = hasDq;
        Wcs = wcs;
        Header = header;
        HduIndex = hduIndex;
    }

    /// <summary>Display name, e.g. <c>j8ny01suq_flc.fits[SCI,1]</c>.</summary>
    public string Name { get; }

    /// <summary>EXTVER (1 for a plain single image).</summary>
    public int ExtVer { get; }

    /// <summary>Width (NAXIS1).</summary>
    public int Width { get; }

    /// <summary>Height (NAXIS2).</summary>
    public int Height { get; }

    /// <summary>Science pixels.</summary>
    /// <exception cref="InvalidOperationException">The chip is header-only (<see cref="HasPixels"/> is false).</exception>
    public float[] Sci => _sci ?? throw new InvalidOperationException(
        $"{Name}: the pixels were not read (header-only load); read them with Exposure.ReadChip.");

    /// <summary>Whether the pixel arrays were read; false for a header-only chip (<see cref="ExposureLoadOptions.ReadPixels"/>).</summary>
    public bool HasPixels => _sci is not null;

    /// <summary>1σ errors, or null (always null for a header-only chip: see <see cref="HasErr"/>).</summary>
    public float[]? Err { get; }

    /// <summary>Data-quality flags (any integer type widened to its unsigned 32-bit pattern), or null (always null for a
    /// header-only chip: see <see cref="HasDq"/>).</summary>
    public uint[]? Dq { get; }

    /// <summary>Whether the chip has ERR pixels: <see cref="Err"/> is set or, for a header-only chip, a load of its pixels
    /// with the same options reads them.</summary>
    public bool HasErr { get; }

    /// <summary>Whether the chip has DQ flags: <see cref="Dq"/> is set or, for a header-only chip, a load of its pixels
    /// with the same options reads them.</summary>
    public bool HasDq { get; }

    /// <summary>The chip's WCS (from its SCI header).</summary>
    public FitsWcs Wcs { get; }

    /// <summary>The SCI header.</summary>
    public FitsHeader Header { get; }

    /// <summary>Index of the chip's SCI HDU in its file (for <see cref="Exposure.ReadChip(int, ExposureLoadOptions?)"/>), or -1.</summary>
    internal int HduIndex { get; init; } = -1;

    /// <summary>A good-pixel mask for a DQ bit selection (all good without DQ).</summary>
    /// <param name="bits">Which DQ bits to ignore.</param>
    /// <returns>True where the pixel is good (its SCI value is also finite).</returns>
    public bool[] GoodPixels(DqBits bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        float[] sci = Sci;
        var good = new bool[sci.Length];
        if (Dq is null)
        {
            Array.Fill(good, true);
        }
        else
        {
            bits.GoodMask(Dq, good);
        }

        for (int i = 0; i < good.Length; i++)
        {
            good[i] &= float.IsFinite(sci[i]);
        }

        return good;
    }
}

/// <summary>
/// An exposure: a set of chips with a common exposure time, units and name, loaded from an HST-style
/// multi-extension file (SCI/ERR/DQ with EXTVER per chip) or from a plain single-image FITS file with a WCS.
/// </summary>
public sealed class Exposure
{
    /// <summary>Creates an exposure from chips already in memory.</summary>
    /// <param name="name">Name (rootname), used in logs, shiftfiles and plots.</param>
    /// <param name="path">The file it came from, or null.</param>
    /// <param name="exposureTime">Seconds (&gt; 0).</param>
    /// <param name="units">Counts or count rates.</param>
    /// <param name="chips">At least one chip.</param>
    /// <param name="primaryHeader">The primary header (empty when none).</param>
    /// <exception cref="ExposureException">No chips or a non-positive exposure time.</exception>
    public Exposure(string name, string? path, double exposureTime, DataUnits units, IReadOnlyList<Chip> chips, FitsHeader? primaryHeader = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(chips);
        if (chips.Count == 0)
        {
            throw new ExposureException($"{name}: an exposure needs at least one chip.");
        }

        if (!(exposureTime > 0) || !double.IsFinite(exposureTime))
        {
            throw new ExposureException($"{name}: the exposure time must be positive (got {exposureTime.ToString(CultureInfo.InvariantCulture)}).");
        }

        Name = name;
        Path = path;
        ExposureTime = exposureTime;
        Units = units;
        Chips = chips;
        PrimaryHeader = primaryHeader ?? new FitsHeader();
    }

    /// <summary>Name: ROOTNAME, or the file name without <c>.fits</c>/<c>.fits.gz</c>.</summary>
    public string Name { get; }

    /// <summary>The file, or null for an exposure built in memory.</summary>
    public string? Path { get; }

    /// <summary>Exposure time (seconds): EXPTIME, or 1 when the file has none.</summary>
    public double ExposureTime { get; }

    /// <summary>Units of SCI (and ERR).</summary>
    public DataUnits Units { get; }

    /// <summary>The chips in EXTVER order.</summary>
    public IReadOnlyList<Chip> Chips { get; }

    /// <summary>The primary header (for a plain image: its only header).</summary>
    public FitsHeader PrimaryHeader { get; }

    /// <summary>The filter: FILTER, else the first of FILTER1/FILTER2 that is not CLEAR*, else null.</summary>
    public string? Filter
    {
        get
        {
            if (PrimaryHeader.TryGetString("FILTER", out string? f) && f.Length > 0)
            {
                return f;
            }

            foreach (string key in new[] { "FILTER1", "FILTER2" })
            {
                if (PrimaryHeader.TryGetString(key, out string? v) && v.Length > 0 && !v.StartsWith("CLEAR", StringComparison.OrdinalIgnoreCase))
                {
                    return v;
                }
            }

            return null;
        }
    }

    /// <summary>Units from a BUNIT value: rates when it ends in /S, /SEC or /SECOND (case-insensitive), else counts.</summary>
    /// <param name="bunit">The BUNIT value or null.</param>
    /// <returns>The units.</returns>
    public static DataUnits ParseUnits(string? bunit)
    {
        string u = (bunit ?? string.Empty).Trim().ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        return u.EndsWith("/S", StringComparison.Ordinal) || u.EndsWith("/SEC", StringComparison.Ordinal) || u.EndsWith("/SECOND", StringComparison.Ordinal) || u.EndsWith("S-1", StringComparison.Ordinal)
            ? DataUnits.CountRate
            : DataUnits.Counts;
    }

    /// <summary>
    /// Loads an exposure. With SCI extensions, each SCI,n is a chip with ERR,n and DQ,n when present; otherwise the
    /// first HDU holding a 2-D image is the only chip. Each chip's WCS comes from its own header (merged over the
    /// primary header when the extension holds no WCS).
    /// </summary>
    /// <param name="path">A FITS file (<c>.fits</c> or <c>.fits.gz</c>); <c>file.fits[SCI,2]</c> (or <c>[N]</c>) loads
    /// only that chip, as DrizzlePac accepts.</param>
    /// <param name="options">Options, or null.</param>
    /// <returns>The exposure.</returns>
    /// <exception cref="FitsException">The file is not valid FITS or the selected extension does not exist.</exception>
    /// <exception cref="ExposureException">The file holds no usable image, mismatched extensions or no WCS.</exception>
    public static Exposure Load(string path, ExposureLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ExposureLoadOptions();
        FitsSpec spec = FitsSpec.Parse(path);
        path = spec.Path;
        using FitsFile file = FitsFile.Open(path);
        string fileName = System.IO.Path.GetFileName(path);
        FitsHeader primary = file.Hdus[0].Header;
        var sciHdus = file.Hdus.Where(h => string.Equals(h.ExtName?.Trim(), "SCI", StringComparison.OrdinalIgnoreCase)).OrderBy(h => h.ExtVer).ToList();
        var chips = new List<Chip>();
        if (!spec.IsDefault)
        {
            FitsHdu selected = file.Select(spec);
            bool isSci = string.Equals(selected.ExtName?.Trim(), "SCI", StringComparison.OrdinalIgnoreCase);
            FitsHdu? err = isSci && options.ReadErr ? Find(file, "ERR", selected.ExtVer) : null;
            FitsHdu? dq = isSci && options.ReadDq ? Find(file, "DQ", selected.ExtVer) : null;
            string label = selected.ExtName is null ? $"{fileName}[{selected.Index}]" : $"{fileName}[{selected.ExtName.Trim()},{selected.ExtVer}]";
            chips.Add(ReadChip(file, fileName, selected, err, dq, primary, label, options.ReadPixels));
        }
        else if (sciHdus.Count > 0)
        {
            if (sciHdus.Select(h => h.ExtVer).Distinct().Count() != sciHdus.Count)
            {
                throw new ExposureException($"{fileName}: two SCI extensions have the same EXTVER.");
            }

            foreach (FitsHdu sci in sciHdus)
            {
                FitsHdu? err = options.ReadErr ? Find(file, "ERR", sci.ExtVer) : null;
                FitsHdu? dq = options.ReadDq ? Find(file, "DQ", sci.ExtVer) : null;
                chips.Add(ReadChip(file, fileName, sci, err, dq, primary, $"{fileName}[SCI,{sci.ExtVer}]", options.ReadPixels));
            }
        }
        else
        {
            FitsHdu image = file.Hdus.FirstOrDefault(h => h.IsImage && h.ElementCount > 0)
                ?? throw new ExposureException($"{fileName}: the file holds no image.");
            chips.Add(ReadChip(file, fileName, image, null, null, primary, image.Index == 0 ? fileName : $"{fileName}[{image.Index}]", options.ReadPixels));
        }

        FitsHeader first = chips[0].Header;
        double exptime = options.ExposureTime
            ?? (primary.TryGetDouble("EXPTIME", out double t) ? t : first.TryGetDouble("EXPTIME", out double t2) ? t2 : 1.0);
        string? bunit = first.TryGetString("BUNIT", out string? b) ? b : primary.TryGetString("BUNIT", out string? pb) ? pb : null;
        string name = primary.TryGetString("ROOTNAME", out string? root) && root.Trim().Length > 0 ? root.Trim() : StripFitsExtension(fileName);
        return new Exposure(name, System.IO.Path.GetFullPath(path), exptime, ParseUnits(bunit), chips, primary.Clone());
    }

    /// <summary>
    /// Reads one chip's pixels from the exposure's file: the chip with its SCI (and ERR and DQ as the options select)
    /// arrays and the same name, EXTVER, size, header and WCS objects as <c>Chips[index]</c>. For a header-only
    /// exposure (<see cref="ExposureLoadOptions.ReadPixels"/> false) this is how a step gets the pixels of the chip it
    /// works on and lets them go afterwards; a chip that already holds pixels is returned as it is.
    /// </summary>
    /// <param name="index">0-based index into <see cref="Chips"/>.</param>
    /// <param name="options">Which arrays to read (<see cref="ExposureLoadOptions.ReadErr"/>, <see cref="ExposureLoadOptions.ReadDq"/>), or null for all.</param>
    /// <returns>The chip with pixels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such chip.</exception>
    /// <exception cref="ExposureException">The exposure was built in memory without pixels, or the file changed shape.</exception>
    /// <exception cref="FitsException">The file is no longer valid FITS.</exception>
    public Chip ReadChip(int index, ExposureLoadOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Chips.Count);
        Chip chip = Chips[index];
        if (chip.HasPixels)
        {
            return chip;
        }

        if (Path is null || chip.HduIndex < 0)
        {
            throw new ExposureException($"{chip.Name}: the chip has no pixels and no file to read them from.");
        }

        options ??= new ExposureLoadOptions();
        using FitsFile file = FitsFile.Open(Path);
        string fileName = System.IO.Path.GetFileName(Path);
        if (chip.HduIndex >= file.Hdus.Count)
        {
            throw new ExposureException($"{chip.Name}: the file no longer holds that extension.");
        }

        FitsHdu sci = file.Hdus[chip.HduIndex];
        bool isSci = string.Equals(sci.ExtName?.Trim(), "SCI", StringComparison.OrdinalIgnoreCase);
        FitsHdu? err = isSci && options.ReadErr ? Find(file, "ERR", sci.ExtVer) : null;
        FitsHdu? dq = isSci && options.ReadDq ? Find(file, "DQ", sci.ExtVer) : null;
        if (sci.Shape.Length != 2 || sci.Width != chip.Width || sci.Height != chip.Height)
        {
            throw new ExposureException($"{chip.Name}: the image is no longer {chip.Width}x{chip.Height} pixels.");
        }

        (float[] sciData, float[]? errData, uint[]? dqData) = ReadArrays(fileName, sci, err, dq, chip.Width, chip.Height);
        return new Chip(chip.Name, chip.ExtVer, chip.Width, chip.Height, sciData, errData, dqData, chip.Wcs, chip.Header) { HduIndex = chip.HduIndex };
    }

    private static FitsHdu? Find(FitsFile file, string extName, int extVer) =>
        file.Hdus.FirstOrDefault(h => string.Equals(h.ExtName?.Trim(), extName, StringComparison.OrdinalIgnoreCase) && h.ExtVer == extVer);

    private static Chip ReadChip(FitsFile file, string fileName, FitsHdu sci, FitsHdu? err, FitsHdu? dq, FitsHeader primary, string name, bool readPixels)
    {
        if (sci.Shape.Length != 2 || sci.Width > int.MaxValue || sci.Height > int.MaxValue)
        {
            throw new ExposureException($"{name}: the image must be 2-D (NAXIS = 2), it has NAXIS = {sci.Shape.Length}.");
        }

        int w = (int)sci.Width, h = (int)sci.Height;
        if (!readPixels)
        {
            // The same checks and header as a full load, without the arrays.
            if (err is not null)
            {
                CheckShape(err, w, h, $"{fileName}[ERR,{err.ExtVer}]");
            }

            if (dq is not null)
            {
                CheckShape(dq, w, h, $"{fileName}[DQ,{dq.ExtVer}]");
                CheckDqType(dq, $"{fileName}[DQ,{dq.ExtVer}]");
            }

            FitsHeader header = sci.Header.Clone();
            return new Chip(name, sci.ExtVer, w, h, err is not null, dq is not null, ReadWcs(header, primary, name, file), header, sci.Index);
        }

        (float[] sciData, float[]? errData, uint[]? dqData) = ReadArrays(fileName, sci, err, dq, w, h);
        FitsHeader imageHeader = sci.Header.Clone();
        FitsWcs wcs = ReadWcs(imageHeader, primary, name, file);
        return new Chip(name, sci.ExtVer, w, h, sciData, errData, dqData, wcs, imageHeader) { HduIndex = sci.Index };
    }

    private static (float[] Sci, float[]? Err, uint[]? Dq) ReadArrays(string fileName, FitsHdu sci, FitsHdu? err, FitsHdu? dq, int w, int h)
    {
        float[] sciData = sci.ReadImage<float>().Data;
        float[]? errData = null;
        if (err is not null)
        {
            CheckShape(err, w, h, $"{fileName}[ERR,{err.ExtVer}]");
            errData = err.ReadImage<float>().Data;
        }

        uint[]? dqData = null;
        if (dq is not null)
        {
            CheckShape(dq, w, h, $"{fileName}[DQ,{dq.ExtVer}]");
            dqData = ReadDq(dq, $"{fileName}[DQ,{dq.ExtVer}]");
        }

        return (sciData, errData, dqData);
    }

    private static void CheckDqType(FitsHdu dq, string name)
    {
        Type t = dq.PhysicalType;
        if (t != typeof(short) && t != typeof(sbyte) && t != typeof(int) && t != typeof(byte) && t != typeof(ushort) && t != typeof(uint))
        {
            throw new ExposureException($"{name}: a DQ image must hold integers of at most 32 bits (BITPIX = {dq.Bitpix}).");
        }
    }

    private static void CheckShape(FitsHdu hdu, int w, int h, string name)
    {
        if (hdu.Shape.Length != 2 || hdu.Width != w || hdu.Height != h)
        {
            throw new ExposureException($"{name}: its shape [{string.Join(", ", hdu.Shape)}] differs from the SCI image's [{w}, {h}].");
        }
    }

    private static uint[] ReadDq(FitsHdu dq, string name)
    {
        Type t = dq.PhysicalType;
        if (t == typeof(short))
        {
            return Array.ConvertAll(dq.ReadImage<short>().Data, v => (uint)(ushort)v);
        }

        if (t == typeof(sbyte))
        {
            return Array.ConvertAll(dq.ReadImage<sbyte>().Data, v => (uint)(byte)v);
        }

        if (t == typeof(int))
        {
            return Array.ConvertAll(dq.ReadImage<int>().Data, v => unchecked((uint)v));
        }

        if (t == typeof(byte) || t == typeof(ushort) || t == typeof(uint))
        {
            return dq.ReadImage<uint>().Data;
        }

        throw new ExposureException($"{name}: a DQ image must hold integers of at most 32 bits (BITPIX = {dq.Bitpix}).");
    }

    private static FitsWcs ReadWcs(FitsHeader ext, FitsHeader primary, string name, FitsFile file)
    {
        try
        {
            // HST's lookup-table distortions (D2IM, NPOL) live in the file's D2IMARR and WCSDVARR extensions.
            if (FitsWcs.HasWcs(ext))
            {
                return FitsWcs.FromHeader(ext, file);
            }

            var merged = primary.Clone();
            foreach (FitsCard c in ext)
            {
                if (!c.IsCommentary)
                {
                    merged.Set(c.Key, c.Value, c.Comment);
                }
            }

            if (FitsWcs.HasWcs(merged))
            {
                return FitsWcs.FromHeader(merged, file);
            }
        }
        catch (WcsException ex)
        {
            throw new ExposureException($"{name}: {ex.Message}", ex);
        }

        throw new ExposureException($"{name}: the header has no celestial WCS (CTYPE1/CTYPE2 RA---TAN...).");
    }

    private static string StripFitsExtension(string fileName)
    {
        foreach (string ext in new[] { ".fits.gz", ".fit.gz", ".fts.gz", ".fits", ".fit", ".fts" })
        {
            if (fileName.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return fileName[..^ext.Length];
            }
        }

        return fileName;
    }
}
