using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TweakDrizzle.Matching;
using TweakDrizzle.WcsFit;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle match IN.csv REF.csv --out RESULT.json</c>: match two catalogs and fit the map between them.</summary>
internal static class MatchCommand
{
    public static Command Create()
    {
        var inArg = new Argument<FileInfo>("IN.csv") { Description = "Input catalog: CSV with x,y (or xcentroid,ycentroid) and optional flux, 0-based pixels." };
        var refArg = new Argument<FileInfo>("REF.csv") { Description = "Reference catalog in the same format." };
        var outOpt = new Option<FileInfo>("--out") { Description = "Result JSON (ref = matrix · in + shift).", Required = true };
        var geom = new Option<string>("--fitgeometry") { Description = "shift | rshift | rscale | general.", DefaultValueFactory = _ => "rscale" };
        var tol = new Option<double?>("--tolerance") { Description = "Matching tolerance in reference pixels (default: adapted to the residuals)." };
        var rad = new Option<double?>("--searchrad") { Description = "Search radius of the offset histogram in reference pixels (default 20)." };
        var units = new Option<string>("--searchunits") { Description = "pixels | arcseconds (then give --pscale).", DefaultValueFactory = _ => "pixels" };
        var pscale = new Option<double?>("--pscale") { Description = "Reference pixel scale in arcsec per pixel (for --searchunits arcseconds)." };
        var sep = new Option<double>("--separation") { Description = "Sources closer than this are confused and not matched (pixels).", DefaultValueFactory = _ => 0.5 };
        var xoff = new Option<double>("--xoffset") { Description = "Initial x offset, ref − in (pixels).", DefaultValueFactory = _ => 0.0 };
        var yoff = new Option<double>("--yoffset") { Description = "Initial y offset, ref − in (pixels).", DefaultValueFactory = _ => 0.0 };
        var nclip = new Option<int>("--nclip") { Description = "Sigma-clipping passes of the fit.", DefaultValueFactory = _ => 3 };
        var sigma = new Option<double>("--sigma") { Description = "Clipping limit in standard deviations.", DefaultValueFactory = _ => 3.0 };
        var minobj = new Option<int?>("--minobj") { Description = "Fewest matches for success (default: set by the fit geometry)." };
        var clipMode = new Option<string>("--clip-mode") { Description = "accumulate (drizzlepac) | readmit (tweakwcs-like).", DefaultValueFactory = _ => "accumulate" };
        var strategy = new Option<string>("--strategy") { Description = "auto | histogram | tolerance | asterism.", DefaultValueFactory = _ => "auto" };
        var maxFap = new Option<double>("--max-false-alarm") { Description = "Largest accepted chance probability of the solution.", DefaultValueFactory = _ => 0.01 };
        var center = new Option<string?>("--center") { Description = "X,Y centre (reference pixels) of XSH/YSH; default: centre of the matched reference extent." };
        var command = new Command("match", "Match two catalogs (any offset, rotation, scale, parity) and fit the map between them.")
        {
            inArg, refArg, outOpt, geom, tol, rad, units, pscale, sep, xoff, yoff, nclip, sigma, minobj, clipMode, strategy, maxFap, center,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            FitGeometry g = ParseGeometry(parse.GetValue(geom)!);
            MatchStrategy s = parse.GetValue(strategy)!.Trim().ToLowerInvariant() switch
            {
                "auto" => MatchStrategy.Auto,
                "histogram" => MatchStrategy.Histogram,
                "tolerance" => MatchStrategy.Tolerance,
                "asterism" => MatchStrategy.Asterism,
                string other => throw new UsageException($"unknown --strategy '{other}' (use auto, histogram, tolerance or asterism)"),
            };
            ClipMode cm = parse.GetValue(clipMode)!.Trim().ToLowerInvariant() switch
            {
                "accumulate" => ClipMode.Accumulate,
                "readmit" => ClipMode.Readmit,
                string other => throw new UsageException($"unknown --clip-mode '{other}' (use accumulate or readmit)"),
            };
            (double X, double Y)? c = ParseCenter(parse.GetValue(center));
            SearchUnits su = parse.GetValue(units)!.Trim().ToLowerInvariant() switch
            {
                "pixels" => SearchUnits.Pixels,
                "arcseconds" => SearchUnits.Arcseconds,
                string other => throw new UsageException($"unknown --searchunits '{other}' (use pixels or arcseconds)"),
            };
            var matchOptions = new MatchOptions
            {
                Strategy = s,
                FitGeometry = g,
                Tolerance = parse.GetValue(tol),
                SearchRadius = parse.GetValue(rad),
                SearchUnits = su,
                PixelScale = parse.GetValue(pscale),
                Separation = parse.GetValue(sep),
                XOffset = parse.GetValue(xoff),
                YOffset = parse.GetValue(yoff),
                MinObj = parse.GetValue(minobj),
                MaxFalseAlarm = parse.GetValue(maxFap),
            };
            var fitOptions = new FitOptions
            {
                FitGeometry = g,
                NClip = parse.GetValue(nclip),
                Sigma = parse.GetValue(sigma),
                ClipMode = cm,
                MinObj = parse.GetValue(minobj),
                Center = c,
            };
            SourceCatalog input = SourceCatalog.ReadCsv(parse.GetValue(inArg)!.FullName);
            SourceCatalog reference = SourceCatalog.ReadCsv(parse.GetValue(refArg)!.FullName);
            MatchResult m = CatalogMatcher.Match(input, reference, matchOptions);
            FitResult? fit = null;
            if (m.Status == MatchStatus.Success)
            {
                fit = FitPairs(input, reference, m.Pairs, fitOptions);
            }

            string status = m.Status == MatchStatus.Success && fit!.Status == FitStatus.Success ? "SUCCESS" : "FAILED";
            string message = m.Status != MatchStatus.Success ? m.Message : fit!.Status != FitStatus.Success ? fit.Message : m.Message;
            WriteJson(parse.GetValue(outOpt)!.FullName, status, message, g, m, fit);
            if (status != "SUCCESS")
            {
                Console.Error.WriteLine("error: match FAILED: " + CommandRunner.OneLine(message));
                return CommandRunner.Failure;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SUCCESS ({m.Strategy}): {m.NMatch} matches, {fit!.NMatch} in the fit; XSH {fit.XSh:0.####} YSH {fit.YSh:0.####} ROT {fit.Rot:0.######} SCALE {fit.Scale:0.#######} XRMS {fit.XRms:0.####} YRMS {fit.YRms:0.####}"));
            return 0;
        }));
        return command;
    }

    private static FitGeometry ParseGeometry(string name)
    {
        try
        {
            return FitGeometryExtensions.Parse(name);
        }
        catch (MatchingException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static (double X, double Y)? ParseCenter(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split(',');
        if (parts.Length != 2 ||
            !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ||
            !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double y))
        {
            throw new UsageException("--center must be X,Y (two numbers separated by a comma)");
        }

        return (x, y);
    }

    private static FitResult FitPairs(SourceCatalog input, SourceCatalog reference, IReadOnlyList<MatchPair> pairs, FitOptions options)
    {
        int n = pairs.Count;
        var xi = new double[n];
        var yi = new double[n];
        var xr = new double[n];
        var yr = new double[n];
        for (int k = 0; k < n; k++)
        {
            xi[k] = input.X[pairs[k].InIndex];
            yi[k] = input.Y[pairs[k].InIndex];
            xr[k] = reference.X[pairs[k].RefIndex];
            yr[k] = reference.Y[pairs[k].RefIndex];
        }

        return LinearFitter.Fit(xi, yi, xr, yr, default, options);
    }

    private static void WriteJson(string path, string status, string message, FitGeometry g, MatchResult m, FitResult? fit)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp");
        try
        {
            using (FileStream fs = File.Create(tmp))
            using (var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("status", status);
                w.WriteString("message", message);
                w.WriteString("convention", "ref = matrix . in + shift (0-based pixels); xsh, ysh, rot, scale, skew describe ref -> in about center as TweakReg; pairs are [row in IN, row in REF], 0-based");
                w.WriteString("strategy", m.Strategy);
                w.WriteNumber("nmatch", m.NMatch);
                w.WriteString("fitgeometry", g.ToName());
                Affine2D t = fit is { Status: FitStatus.Success } ? fit.Transform : m.Transform;
                w.WritePropertyName("matrix");
                w.WriteStartArray();
                WritePair(w, t.A, t.B);
                WritePair(w, t.C, t.D);
                w.WriteEndArray();
                w.WritePropertyName("shift");
                WritePair(w, t.Tx, t.Ty);
                if (fit is not null)
                {
                    w.WriteNumber("nfit", fit.NMatch);
                    w.WritePropertyName("center");
                    WritePair(w, fit.Center.X, fit.Center.Y);
                    w.WriteNumber("xsh", fit.XSh);
                    w.WriteNumber("ysh", fit.YSh);
                    w.WriteNumber("rot", fit.Rot);
                    w.WriteNumber("scale", fit.Scale);
                    w.WriteNumber("skew", fit.Skew);
                    w.WriteNumber("rotx", fit.RotX);
                    w.WriteNumber("roty", fit.RotY);
                    w.WriteNumber("scalex", fit.ScaleX);
                    w.WriteNumber("scaley", fit.ScaleY);
                    w.WriteNumber("xrms", fit.XRms);
                    w.WriteNumber("yrms", fit.YRms);
                    w.WriteNumber("fit_rms", fit.FitRms);
                    w.WriteNumber("rmse", fit.Rmse);
                    w.WriteNumber("mae", fit.Mae);
                }

                w.WriteNumber("tolerance", m.Tolerance);
                w.WriteNumber("expected_chance_matches", m.ExpectedChance);
                w.WriteNumber("log10_false_alarm", double.IsFinite(m.Log10FalseAlarm) ? m.Log10FalseAlarm : -9999);
                if (m.Histogram is { } h)
                {
                    w.WritePropertyName("histogram");
                    w.WriteStartObject();
                    w.WriteNumber("dx", h.Dx);
                    w.WriteNumber("dy", h.Dy);
                    w.WriteNumber("peak", h.PeakCount);
                    w.WriteNumber("box", h.BoxCount);
                    w.WriteNumber("significance", h.Significance);
                    w.WriteString("method", h.Method.ToString());
                    w.WriteEndObject();
                }

                w.WritePropertyName("pairs");
                w.WriteStartArray();
                foreach (MatchPair p in m.Status == MatchStatus.Success ? m.Pairs : [])
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(p.InIndex);
                    w.WriteNumberValue(p.RefIndex);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

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

    private static void WritePair(Utf8JsonWriter w, double a, double b)
    {
        w.WriteStartArray();
        w.WriteNumberValue(a);
        w.WriteNumberValue(b);
        w.WriteEndArray();
    }
}
