using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TweakDrizzle.Simulation;

/// <summary>The truth about one chip of a written exposure.</summary>
/// <param name="ExtVer">EXTVER of the chip.</param>
/// <param name="HeaderWcs">The WCS written into the SCI header.</param>
/// <param name="TrueWcs">The WCS the pixels were rendered through.</param>
/// <param name="SourceCount">Truth sources with their centre on the chip.</param>
/// <param name="CosmicRayEvents">Cosmic-ray events.</param>
/// <param name="CosmicRayPixels">Pixels with at least 1 e- of cosmic-ray charge.</param>
/// <param name="SaturatedPixels">Pixels flagged saturated.</param>
/// <param name="HotPixels">Hot pixels (flagged or not).</param>
public sealed record ChipTruth(int ExtVer, TanSipModel HeaderWcs, TanSipModel TrueWcs, int SourceCount, int CosmicRayEvents, int CosmicRayPixels, int SaturatedPixels, int HotPixels);

/// <summary>A filter as recorded in the truth.</summary>
/// <param name="Name">Filter name.</param>
/// <param name="Fwhm">PSF FWHM (pixels).</param>
/// <param name="SkyRate">Sky (e-/s/pixel).</param>
/// <param name="RateScale">Throughput relative to the reference band.</param>
/// <param name="ColorCoefficient">Colour term (see <see cref="FilterSpec.ColorCoefficient"/>).</param>
public sealed record FilterTruth(string Name, double Fwhm, double SkyRate, double RateScale, double ColorCoefficient)
{
    /// <summary>The rate (e-/s) of a source in this filter.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The rate.</returns>
    public double RateOf(SkySource source) => source.Rate * RateScale * Math.Pow(10.0, -0.4 * ColorCoefficient * source.Color);

    /// <summary>The record of a filter specification.</summary>
    /// <param name="f">The filter.</param>
    /// <returns>The record.</returns>
    public static FilterTruth From(FilterSpec f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f.Name, f.Psf.Fwhm, f.SkyRate, f.RateScale, f.ColorCoefficient);
    }
}

/// <summary>The truth about one written exposure.</summary>
/// <param name="Rootname">Rootname.</param>
/// <param name="FileName">File name of the exposure, relative to the data-set folder.</param>
/// <param name="Visit">Visit name.</param>
/// <param name="Filter">Filter name.</param>
/// <param name="ExposureTime">Seconds.</param>
/// <param name="PostArg1">POS TARG x (arcsec).</param>
/// <param name="PostArg2">POS TARG y (arcsec).</param>
/// <param name="NominalPointing">Pointing the header WCS was built from.</param>
/// <param name="TruePointing">Pointing the pixels were rendered with.</param>
/// <param name="Chips">Per chip truth, EXTVER 1 first.</param>
public sealed record ExposureTruth(
    string Rootname,
    string FileName,
    string Visit,
    string Filter,
    double ExposureTime,
    double PostArg1,
    double PostArg2,
    Pointing NominalPointing,
    Pointing TruePointing,
    IReadOnlyList<ChipTruth> Chips);

/// <summary>
/// The truth of a simulated data set as written next to it (<c>truth/truth.json</c> and
/// <c>truth/catalog.csv</c>): the true sky and every chip's header and true WCS.
/// </summary>
public sealed record SimulationTruth
{
    /// <summary>Folder of the truth files inside a data-set folder.</summary>
    public const string FolderName = "truth";

    /// <summary>Name of the JSON file.</summary>
    public const string JsonName = "truth.json";

    /// <summary>Name of the sky catalog CSV.</summary>
    public const string CatalogName = "catalog.csv";

    /// <summary>The seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Units of the SCI arrays.</summary>
    public required OutputUnits Units { get; init; }

    /// <summary>Pixel scale (arcsec/pixel).</summary>
    public required double PixelScaleArcsec { get; init; }

    /// <summary>The filters.</summary>
    public required IReadOnlyList<FilterTruth> Filters { get; init; }

    /// <summary>The true sky, ids as in the catalog.</summary>
    public required IReadOnlyList<SkySource> Sources { get; init; }

    /// <summary>The exposures.</summary>
    public required IReadOnlyList<ExposureTruth> Exposures { get; init; }

    /// <summary>Reads the truth of a data set written by <c>DataSetWriter</c> (or by <see cref="Write(string)"/>).</summary>
    /// <param name="dataSetFolder">The data-set folder (holding the <c>truth</c> folder).</param>
    /// <returns>The truth.</returns>
    /// <exception cref="InvalidDataException">The truth files are missing or malformed.</exception>
    public static SimulationTruth Load(string dataSetFolder)
    {
        ArgumentNullException.ThrowIfNull(dataSetFolder);
        string jsonPath = Path.Combine(dataSetFolder, FolderName, JsonName);
        string csvPath = Path.Combine(dataSetFolder, FolderName, CatalogName);
        if (!File.Exists(jsonPath) || !File.Exists(csvPath))
        {
            throw new InvalidDataException($"No simulation truth in '{dataSetFolder}': expected {FolderName}/{JsonName} and {FolderName}/{CatalogName}.");
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
            JsonElement root = doc.RootElement;
            var filters = root.GetProperty("filters").EnumerateArray()
                .Select(f => new FilterTruth(
                    f.GetProperty("name").GetString()!,
                    f.GetProperty("fwhm").GetDouble(),
                    f.GetProperty("sky_rate").GetDouble(),
                    f.GetProperty("rate_scale").GetDouble(),
                    f.GetProperty("color_coefficient").GetDouble())).ToList();
            var exposures = new List<ExposureTruth>();
            foreach (JsonElement e in root.GetProperty("exposures").EnumerateArray())
            {
                var chips = e.GetProperty("chips").EnumerateArray().Select(c => new ChipTruth(
                    c.GetProperty("extver").GetInt32(),
                    ReadWcs(c.GetProperty("header_wcs")),
                    ReadWcs(c.GetProperty("true_wcs")),
                    c.GetProperty("sources").GetInt32(),
                    c.GetProperty("cosmic_ray_events").GetInt32(),
                    c.GetProperty("cosmic_ray_pixels").GetInt32(),
                    c.GetProperty("saturated_pixels").GetInt32(),
                    c.GetProperty("hot_pixels").GetInt32())).ToList();
                exposures.Add(new ExposureTruth(
                    e.GetProperty("rootname").GetString()!,
                    e.GetProperty("file").GetString()!,
                    e.GetProperty("visit").GetString()!,
                    e.GetProperty("filter").GetString()!,
                    e.GetProperty("exptime").GetDouble(),
                    e.GetProperty("postarg1").GetDouble(),
                    e.GetProperty("postarg2").GetDouble(),
                    ReadPointing(e.GetProperty("nominal_pointing")),
                    ReadPointing(e.GetProperty("true_pointing")),
                    chips));
            }

            return new SimulationTruth
            {
                Seed = root.GetProperty("seed").GetUInt64(),
                Units = Enum.Parse<OutputUnits>(root.GetProperty("units").GetString()!),
                PixelScaleArcsec = root.GetProperty("pixel_scale").GetDouble(),
                Filters = filters,
                Sources = ReadCatalog(csvPath),
                Exposures = exposures,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Malformed simulation truth in '{dataSetFolder}': {ex.Message}", ex);
        }
    }

    /// <summary>Writes <c>truth.json</c> and <c>catalog.csv</c> into <paramref name="truthFolder"/> (atomically, via temporary files).</summary>
    /// <param name="truthFolder">The folder (created if needed).</param>
    public void Write(string truthFolder)
    {
        ArgumentNullException.ThrowIfNull(truthFolder);
        Directory.CreateDirectory(truthFolder);
        AtomicWrite(Path.Combine(truthFolder, JsonName), WriteJson());
        AtomicWrite(Path.Combine(truthFolder, CatalogName), Encoding.UTF8.GetBytes(WriteCatalog()));
    }

    /// <summary>The header cards of a WCS stored in the truth, as a TAN-SIP model.</summary>
    private static TanSipModel ReadWcs(JsonElement w)
    {
        double[] crpix = w.GetProperty("crpix").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] crval = w.GetProperty("crval").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[][] cd = w.GetProperty("cd").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var sip = w.GetProperty("sip").EnumerateArray().Select(t =>
        {
            double[] a = t.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            return new SipTerm((int)a[0], (int)a[1], a[2], a[3]);
        }).ToList();
        return new TanSipModel(crpix[0], crpix[1], crval[0], crval[1], new[,] { { cd[0][0], cd[0][1] }, { cd[1][0], cd[1][1] } }, sip);
    }

    private static Pointing ReadPointing(JsonElement p) =>
        new(p.GetProperty("ra").GetDouble(), p.GetProperty("dec").GetDouble(), p.GetProperty("orientation").GetDouble());

    private static List<SkySource> ReadCatalog(string path)
    {
        var list = new List<SkySource>();
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("id,kind,ra,dec,rate,color", StringComparison.Ordinal))
        {
            throw new FormatException("the catalog header is not 'id,kind,ra,dec,rate,color,...'");
        }

        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split(',');
            double D(int i) => double.Parse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            list.Add(new SkySource(
                int.Parse(f[0], CultureInfo.InvariantCulture),
                D(2),
                D(3),
                Enum.Parse<SourceKind>(f[1], ignoreCase: true),
                D(4),
                D(5),
                D(6),
                D(7),
                D(8),
                D(9)));
        }

        return list;
    }

    private string WriteCatalog()
    {
        var sb = new StringBuilder();
        sb.Append("id,kind,ra,dec,rate,color,sersic_n,r_eff_arcsec,axis_ratio,pa_deg");
        foreach (FilterTruth f in Filters)
        {
            sb.Append(",rate_").Append(f.Name);
        }

        sb.Append('\n');
        foreach (SkySource s in Sources)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s.Id},{s.Kind.ToString().ToLowerInvariant()},{R(s.Ra)},{R(s.Dec)},{R(s.Rate)},{R(s.Color)},{R(s.SersicIndex)},{R(s.EffectiveRadiusArcsec)},{R(s.AxisRatio)},{R(s.PositionAngleDeg)}");
            foreach (FilterTruth f in Filters)
            {
                sb.Append(',').Append(R(f.RateOf(s)));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private byte[] WriteJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("generator", "TweakDrizzle.Simulation");
            w.WriteString("coordinates", "pixel positions 0-based, centre of the first pixel at (0, 0); CRPIX 1-based as in FITS");
            w.WriteNumber("seed", Seed);
            w.WriteString("units", Units.ToString());
            w.WriteNumber("pixel_scale", PixelScaleArcsec);
            w.WriteStartArray("filters");
            foreach (FilterTruth f in Filters)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteNumber("fwhm", f.Fwhm);
                w.WriteNumber("sky_rate", f.SkyRate);
                w.WriteNumber("rate_scale", f.RateScale);
                w.WriteNumber("color_coefficient", f.ColorCoefficient);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("exposures");
            foreach (ExposureTruth e in Exposures)
            {
                w.WriteStartObject();
                w.WriteString("rootname", e.Rootname);
                w.WriteString("file", e.FileName);
                w.WriteString("visit", e.Visit);
                w.WriteString("filter", e.Filter);
                w.WriteNumber("exptime", e.ExposureTime);
                w.WriteNumber("postarg1", e.PostArg1);
                w.WriteNumber("postarg2", e.PostArg2);
                WritePointing(w, "nominal_pointing", e.NominalPointing);
                WritePointing(w, "true_pointing", e.TruePointing);
                w.WriteStartArray("chips");
                foreach (ChipTruth c in e.Chips)
                {
                    w.WriteStartObject();
                    w.WriteNumber("extver", c.ExtVer);
                    WriteWcs(w, "header_wcs", c.HeaderWcs);
                    WriteWcs(w, "true_wcs", c.TrueWcs);
                    w.WriteNumber("sources", c.SourceCount);
                    w.WriteNumber("cosmic_ray_events", c.CosmicRayEvents);
                    w.WriteNumber("cosmic_ray_pixels", c.CosmicRayPixels);
                    w.WriteNumber("saturated_pixels", c.SaturatedPixels);
                    w.WriteNumber("hot_pixels", c.HotPixels);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    private static void WritePointing(Utf8JsonWriter w, string name, Pointing p)
    {
        w.WriteStartObject(name);
        w.WriteNumber("ra", p.Ra);
        w.WriteNumber("dec", p.Dec);
        w.WriteNumber("orientation", p.OrientationDeg);
        w.WriteEndObject();
    }

    private static void WriteWcs(Utf8JsonWriter w, string name, TanSipModel m)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("crpix");
        w.WriteNumberValue(m.CrPix1);
        w.WriteNumberValue(m.CrPix2);
        w.WriteEndArray();
        w.WriteStartArray("crval");
        w.WriteNumberValue(m.CrVal1);
        w.WriteNumberValue(m.CrVal2);
        w.WriteEndArray();
        w.WriteStartArray("cd");
        w.WriteStartArray();
        w.WriteNumberValue(m.Cd11);
        w.WriteNumberValue(m.Cd12);
        w.WriteEndArray();
        w.WriteStartArray();
        w.WriteNumberValue(m.Cd21);
        w.WriteNumberValue(m.Cd22);
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteStartArray("sip");
        foreach (SipTerm t in m.Sip)
        {
            w.WriteStartArray();
            w.WriteNumberValue(t.P);
            w.WriteNumberValue(t.Q);
            w.WriteNumberValue(t.A);
            w.WriteNumberValue(t.B);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    internal static void AtomicWrite(string path, byte[] bytes)
    {
        string tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }
}
