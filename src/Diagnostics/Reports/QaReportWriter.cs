using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Reports;

/// <summary>
/// Writes a <see cref="QaReport"/> as one self-contained HTML page (plots embedded as base64 PNG, tables of the
/// figures) and as JSON with the same numbers. Output depends only on the report, so it is reproducible.
/// </summary>
public static class QaReportWriter
{
    /// <summary>Section name whose plots follow the alignment table.</summary>
    public const string AlignmentSection = "Alignment";

    /// <summary>Section name whose plots follow the drizzle-products table.</summary>
    public const string DrizzleSection = "Drizzle";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <c>NAME.html</c> and <c>NAME.json</c> into a folder, atomically.</summary>
    /// <param name="report">The report.</param>
    /// <param name="folder">The folder (created if needed).</param>
    /// <param name="name">File name without extension.</param>
    /// <returns>The paths of the HTML and JSON files.</returns>
    public static (string Html, string Json) Write(QaReport report, string folder, string name = "qa_report")
    {
        string html = Path.Combine(folder, name + ".html");
        string json = Path.Combine(folder, name + ".json");
        AtomicFile.WriteAllText(html, ToHtml(report));
        AtomicFile.WriteAllText(json, ToJson(report));
        return (html, json);
    }

    /// <summary>The report's numbers as JSON (NaN written as null).</summary>
    /// <param name="report">The report.</param>
    /// <returns>Indented JSON text.</returns>
    public static string ToJson(QaReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var images = new JsonArray();
        foreach (QaImageRow r in report.Images)
        {
            images.Add(new JsonObject
            {
                ["name"] = r.Name,
                ["status"] = r.Status,
                ["fitgeometry"] = r.FitGeometry,
                ["nmatch"] = r.Matches,
                ["xrms"] = Num(r.XRms),
                ["yrms"] = Num(r.YRms),
                ["rms_ra"] = Num(r.RmsRa),
                ["rms_dec"] = Num(r.RmsDec),
                ["xsh"] = Num(r.XShift),
                ["ysh"] = Num(r.YShift),
                ["rot"] = Num(r.Rotation),
                ["scale"] = Num(r.Scale),
            });
        }

        var products = new JsonArray();
        foreach (QaProductRow p in report.Products)
        {
            products.Add(new JsonObject
            {
                ["name"] = p.Name,
                ["inputs"] = p.Inputs,
                ["pixfrac"] = Num(p.Pixfrac),
                ["kernel"] = p.Kernel,
                ["weight_median"] = Num(p.WeightMedian),
                ["weight_rms"] = Num(p.WeightRms),
                ["weight_rms_over_median"] = Num(p.WeightRmsOverMedian),
                ["hole_fraction"] = Num(p.HoleFraction),
                ["coverage"] = Num(p.Coverage),
            });
        }

        var root = new JsonObject
        {
            ["title"] = report.Title,
            ["notes"] = new JsonArray([.. report.Notes.Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["images"] = images,
            ["products"] = products,
            ["plots"] = new JsonArray([.. report.Plots.Select(p => (JsonNode?)new JsonObject { ["section"] = p.Section, ["caption"] = p.Caption, ["png_bytes"] = p.Png.Length })]),
        };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>The report as one HTML page with inline CSS and base64 PNG images.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The HTML text.</returns>
    public static string ToHtml(QaReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(report.Title)).Append("</title>\n");
        sb.Append("""
            <style>
            body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #222; margin: 2em auto; max-width: 1100px; padding: 0 1em; }
            h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
            p.note { color: #555; margin: 0.15em 0; font-size: 0.92em; }
            table { border-collapse: collapse; font-size: 0.9em; margin: 0.6em 0; }
            th, td { padding: 0.3em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
            th { background: #f4f6f8; border-bottom: 2px solid #ccc; } td.name, th.name { text-align: left; }
            td.bad { color: #D55E00; font-weight: bold; } td.good { color: #009E73; }
            figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
            figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
            </style>
            </head>
            <body>

            """);
        sb.Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        foreach (string note in report.Notes)
        {
            sb.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        }

        if (report.Images.Count > 0)
        {
            sb.Append("<h2>Alignment</h2>\n<table>\n<tr><th class=\"name\">Image</th><th class=\"name\">Status</th><th class=\"name\">fitgeometry</th><th>Matches</th>")
              .Append("<th>XSH (px)</th><th>YSH (px)</th><th>ROT (°)</th><th>SCALE</th><th>XRMS (px)</th><th>YRMS (px)</th><th>RMS_RA (″)</th><th>RMS_DEC (″)</th></tr>\n");
            foreach (QaImageRow r in report.Images)
            {
                sb.Append("<tr><td class=\"name\">").Append(E(r.Name)).Append("</td><td class=\"name\">").Append(E(r.Status))
                  .Append("</td><td class=\"name\">").Append(E(r.FitGeometry ?? "")).Append("</td><td>").Append(r.Matches > 0 ? r.Matches.ToString(Inv) : "—").Append("</td>")
                  .Append(Cell(r.XShift, "0.0000")).Append(Cell(r.YShift, "0.0000")).Append(Cell(r.Rotation, "0.00000")).Append(Cell(r.Scale, "0.000000"))
                  .Append(Cell(r.XRms, "0.0000")).Append(Cell(r.YRms, "0.0000")).Append(Cell(r.RmsRa, "0.0000")).Append(Cell(r.RmsDec, "0.0000")).Append("</tr>\n");
            }

            sb.Append("</table>\n");
        }

        AppendPlots(sb, report.Plots, AlignmentSection, report.Images.Count == 0);
        if (report.Products.Count > 0)
        {
            sb.Append("<h2>Drizzle</h2>\n<table>\n<tr><th class=\"name\">Product</th><th>Inputs</th><th>pixfrac</th><th class=\"name\">Kernel</th>")
              .Append("<th>Weight median</th><th>Weight RMS</th><th>RMS / median</th><th>Holes</th><th>Coverage</th></tr>\n");
            foreach (QaProductRow p in report.Products)
            {
                double ratio = p.WeightRmsOverMedian;
                string ratioClass = double.IsFinite(ratio) ? (ratio < Drizzle.DrizzlePlots.WeightRmsGuideline ? "good" : "bad") : "";
                string holeClass = p.HoleFraction > 0 ? "bad" : p.HoleFraction == 0 ? "good" : "";
                sb.Append("<tr><td class=\"name\">").Append(E(p.Name)).Append("</td><td>").Append(p.Inputs.ToString(Inv)).Append("</td>")
                  .Append(Cell(p.Pixfrac, "0.###")).Append("<td class=\"name\">").Append(E(p.Kernel ?? "")).Append("</td>")
                  .Append(Cell(p.WeightMedian, "G5")).Append(Cell(p.WeightRms, "G5")).Append(Cell(ratio, "0.000", ratioClass))
                  .Append(Cell(p.HoleFraction * 100, "0.###'%'", holeClass)).Append(Cell(p.Coverage * 100, "0.#'%'")).Append("</tr>\n");
            }

            sb.Append("</table>\n<p class=\"note\">RMS / median of the weight map below 0.2 is DrizzlePac's guideline for a uniform enough result; holes are zero-weight pixels inside the footprint.</p>\n");
        }

        AppendPlots(sb, report.Plots, DrizzleSection, report.Products.Count == 0);
        foreach (string section in report.Plots.Select(p => p.Section).Distinct().Where(n => n is not AlignmentSection and not DrizzleSection))
        {
            AppendPlots(sb, report.Plots, section, true);
        }

        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The plots of one section, with the section heading when no table put it there already.</summary>
    private static void AppendPlots(StringBuilder sb, IReadOnlyList<QaPlot> plots, string section, bool heading)
    {
        QaPlot[] mine = [.. plots.Where(p => p.Section == section)];
        if (mine.Length == 0)
        {
            return;
        }

        if (heading)
        {
            sb.Append("<h2>").Append(E(section)).Append("</h2>\n");
        }

        foreach (QaPlot plot in mine)
        {
            sb.Append("<figure><img alt=\"").Append(E(plot.Caption)).Append("\" src=\"data:image/png;base64,")
              .Append(Convert.ToBase64String(plot.Png)).Append("\"><figcaption>").Append(E(plot.Caption)).Append("</figcaption></figure>\n");
        }
    }

    private static JsonValue? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string Cell(double v, string format, string cssClass = "") =>
        "<td" + (cssClass.Length > 0 ? " class=\"" + cssClass + "\"" : "") + ">" +
        (double.IsFinite(v) ? E(v.ToString(format, Inv).Replace("-", "\u2212", StringComparison.Ordinal)) : "—") + "</td>";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
