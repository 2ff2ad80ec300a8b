using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Alignment;

/// <summary>A file of saved alignment results that <c>tweakdrizzle plot</c> can redraw from, or that is not valid.</summary>
public sealed class AlignmentResultsFormatException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public AlignmentResultsFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>One image's saved alignment results.</summary>
/// <param name="Residuals">Matched sources and residuals.</param>
/// <param name="Histogram">The offset histogram, or null when it was not saved.</param>
public sealed record AlignmentResultEntry(AlignmentResiduals Residuals, OffsetHistogram? Histogram);

/// <summary>
/// The saved-results JSON of an alignment run, from which the plots can be redrawn:
/// <code>
/// { "format": "tweakdrizzle-alignment-results", "version": 1,
///   "images": [ { "name": "j8ny01szq_flc.fits", "fitgeometry": "rscale",
///                 "xrms": 0.041, "yrms": 0.043, "rms_ra": 0.0021, "rms_dec": 0.0019, "nmatch_total": 830,
///                 "x": [...], "y": [...], "dx": [...], "dy": [...],
///                 "histogram": { "columns": 51, "rows": 51, "xmin": -25.5, "ymin": -25.5, "binsize": 1,
///                                "counts": [...], "peak_x": 3.42, "peak_y": -1.73, "peak_matches": 812 } } ] }
/// </code>
/// x, y are source positions and dx, dy residuals (image − model), all in pixels; rms_ra/rms_dec in arcsec;
/// optional members may be left out or null; "histogram" counts are row-major with row 0 at the lowest dy.
/// </summary>
public static class AlignmentResultsFile
{
    /// <summary>The value of the "format" member.</summary>
    public const string FormatName = "tweakdrizzle-alignment-results";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Reads a saved-results file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The entries, in file order.</returns>
    /// <exception cref="AlignmentResultsFormatException">The file is not valid saved results.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<AlignmentResultEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Results file '{path}' does not exist.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses saved-results JSON text.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="AlignmentResultsFormatException">The text is not valid saved results.</exception>
    public static IReadOnlyList<AlignmentResultEntry> Parse(string json, string source = "results")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json ?? string.Empty);
        }
        catch (JsonException e)
        {
            throw new AlignmentResultsFormatException($"{source} is not valid JSON ({e.Message.Split('\n')[0].Trim()}).");
        }

        if (root is not JsonObject obj)
        {
            throw new AlignmentResultsFormatException($"{source} must hold a JSON object with an \"images\" list.");
        }

        string? format = obj["format"]?.GetValueKind() == JsonValueKind.String ? obj["format"]!.GetValue<string>() : null;
        if (format is not null && format != FormatName)
        {
            throw new AlignmentResultsFormatException($"{source} has format \"{format}\", not \"{FormatName}\".");
        }

        if (obj["images"] is not JsonArray images)
        {
            throw new AlignmentResultsFormatException($"{source} has no \"images\" list.");
        }

        var entries = new List<AlignmentResultEntry>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is not JsonObject img)
            {
                throw new AlignmentResultsFormatException($"{source}: images[{i}] is not an object.");
            }

            string where = $"{source}: images[{i}]";
            string name = String(img, "name", where) ?? throw new AlignmentResultsFormatException($"{where} has no \"name\".");
            where = $"{source}: image '{name}'";
            var residuals = new AlignmentResiduals
            {
                ImageName = name,
                FitGeometry = String(img, "fitgeometry", where),
                X = Array(img, "x", where),
                Y = Array(img, "y", where),
                Dx = Array(img, "dx", where),
                Dy = Array(img, "dy", where),
                XRms = Number(img, "xrms", where),
                YRms = Number(img, "yrms", where),
                RmsRa = Number(img, "rms_ra", where),
                RmsDec = Number(img, "rms_dec", where),
                TotalMatches = (int)Math.Max(0, Number(img, "nmatch_total", where) is double t && double.IsFinite(t) ? t : 0),
            };
            try
            {
                residuals.Validate();
            }
            catch (ArgumentException e)
            {
                throw new AlignmentResultsFormatException(e.Message);
            }

            OffsetHistogram? histogram = null;
            if (img["histogram"] is JsonObject h)
            {
                string hw = where + " histogram";
                histogram = new OffsetHistogram
                {
                    ImageName = name,
                    FitGeometry = residuals.FitGeometry,
                    Columns = (int)Required(h, "columns", hw),
                    Rows = (int)Required(h, "rows", hw),
                    XMin = Required(h, "xmin", hw),
                    YMin = Required(h, "ymin", hw),
                    BinSize = double.IsNaN(Number(h, "binsize", hw)) ? 1.0 : Number(h, "binsize", hw),
                    Counts = Array(h, "counts", hw),
                    PeakX = Number(h, "peak_x", hw),
                    PeakY = Number(h, "peak_y", hw),
                    PeakMatches = (int)(double.IsFinite(Number(h, "peak_matches", hw)) ? Number(h, "peak_matches", hw) : 0),
                };
                try
                {
                    histogram.Validate();
                }
                catch (ArgumentException e)
                {
                    throw new AlignmentResultsFormatException(e.Message);
                }
            }

            entries.Add(new AlignmentResultEntry(residuals, histogram));
        }

        return entries;
    }

    /// <summary>The saved-results JSON text for some entries (NaN written as null).</summary>
    /// <param name="entries">The entries.</param>
    /// <returns>Indented JSON.</returns>
    public static string ToJson(IEnumerable<AlignmentResultEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var images = new JsonArray();
        foreach ((AlignmentResiduals r, OffsetHistogram? h) in entries)
        {
            var img = new JsonObject
            {
                ["name"] = r.ImageName,
                ["fitgeometry"] = r.FitGeometry,
                ["xrms"] = Num(r.XRms),
                ["yrms"] = Num(r.YRms),
                ["rms_ra"] = Num(r.RmsRa),
                ["rms_dec"] = Num(r.RmsDec),
                ["nmatch_total"] = r.TotalMatches > 0 ? r.TotalMatches : null,
                ["x"] = Arr(r.X),
                ["y"] = Arr(r.Y),
                ["dx"] = Arr(r.Dx),
                ["dy"] = Arr(r.Dy),
            };
            if (h is not null)
            {
                img["histogram"] = new JsonObject
                {
                    ["columns"] = h.Columns,
                    ["rows"] = h.Rows,
                    ["xmin"] = h.XMin,
                    ["ymin"] = h.YMin,
                    ["binsize"] = h.BinSize,
                    ["counts"] = Arr(h.Counts),
                    ["peak_x"] = Num(h.PeakX),
                    ["peak_y"] = Num(h.PeakY),
                    ["peak_matches"] = h.PeakMatches,
                };
            }

            images.Add(img);
        }

        var root = new JsonObject { ["format"] = FormatName, ["version"] = 1, ["images"] = images };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Writes saved results atomically.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="entries">The entries.</param>
    public static void Write(string path, IEnumerable<AlignmentResultEntry> entries) => AtomicFile.WriteAllText(path, ToJson(entries));

    private static JsonValue? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonArray Arr(IReadOnlyList<double> values) =>
        new([.. values.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create(v) : null))]);

    private static string? String(JsonObject o, string key, string where)
    {
        JsonNode? n = o[key];
        if (n is null)
        {
            return null;
        }

        return n.GetValueKind() == JsonValueKind.String
            ? n.GetValue<string>()
            : throw new AlignmentResultsFormatException($"{where}: \"{key}\" must be a string.");
    }

    private static double Number(JsonObject o, string key, string where)
    {
        JsonNode? n = o[key];
        if (n is null)
        {
            return double.NaN;
        }

        return n.GetValueKind() == JsonValueKind.Number
            ? n.GetValue<double>()
            : throw new AlignmentResultsFormatException($"{where}: \"{key}\" must be a number or null.");
    }

    private static double Required(JsonObject o, string key, string where)
    {
        double v = Number(o, key, where);
        return double.IsFinite(v) ? v : throw new AlignmentResultsFormatException($"{where} needs a number \"{key}\".");
    }

    private static double[] Array(JsonObject o, string key, string where)
    {
        if (o[key] is not JsonArray a)
        {
            throw new AlignmentResultsFormatException($"{where} needs a list \"{key}\".");
        }

        var values = new double[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            JsonNode? n = a[i];
            values[i] = n is null ? double.NaN
                : n.GetValueKind() == JsonValueKind.Number ? n.GetValue<double>()
                : throw new AlignmentResultsFormatException(string.Create(CultureInfo.InvariantCulture, $"{where}: \"{key}\"[{i}] is not a number."));
        }

        return values;
    }
}
