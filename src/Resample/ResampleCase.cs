using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Resample;

/// <summary>Result of <see cref="ResampleCase.RunDrizzle"/>.</summary>
/// <param name="Drizzle">The co-add.</param>
/// <param name="KernelSeconds">Time spent in AddImage (drizzling), excluding file I/O.</param>
/// <param name="Results">One result per input.</param>
public sealed record DrizzleCaseResult(Drizzle Drizzle, double KernelSeconds, IReadOnlyList<AddImageResult> Results);

/// <summary>
/// Runs the drizzle and blot case manifests of CONTRACTS.md (<c>tweakdrizzle resample CASE.json</c>,
/// <c>tweakdrizzle blot CASE.json</c>) and writes their outputs.
/// </summary>
public static class ResampleCase
{
    /// <summary>Reads a drizzle case manifest and its files and drizzles every input in order.</summary>
    /// <param name="manifestPath">The case JSON; paths inside are relative to it.</param>
    /// <param name="threads">Thread count (null: all cores).</param>
    /// <returns>The co-add and the kernel time.</returns>
    /// <exception cref="ResampleException">Bad manifest or inputs.</exception>
    public static DrizzleCaseResult RunDrizzle(string manifestPath, int? threads = null)
    {
        JsonElement r = ReadManifest(manifestPath, out JsonDocument doc);
        using (doc)
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
            int[]? shape = r.TryGetProperty("out_shape", out JsonElement s) && s.ValueKind == JsonValueKind.Array
                ? [.. s.EnumerateArray().Select(e => e.GetInt32())]
                : null;
            if (shape is not null && shape.Length != 2)
            {
                throw new ResampleException("out_shape must be [ny, nx]");
            }

            var driz = new Drizzle(new DrizzleOptions
            {
                Kernel = DrizzleKernels.Parse(Str(r, "kernel") ?? "square"),
                OutputHeight = shape?[0],
                OutputWidth = shape?[1],
                FillValue = Fill(r, "fillval"),
                FillValue2 = Fill(r, "fillval2"),
                DisableCtx = r.TryGetProperty("disable_ctx", out JsonElement dc) && dc.ValueKind == JsonValueKind.True,
                BeginCtxId = (int)(Num(r, "begin_ctx_id") ?? 0),
                MaxCtxId = (int?)Num(r, "max_ctx_id"),
                MaxDegreeOfParallelism = threads,
            });
            if (!r.TryGetProperty("inputs", out JsonElement inputs) || inputs.ValueKind != JsonValueKind.Array)
            {
                throw new ResampleException($"{manifestPath}: 'inputs' must be a list");
            }

            var results = new List<AddImageResult>();
            double seconds = 0;
            foreach (JsonElement inp in inputs.EnumerateArray())
            {
                string data = Str(inp, "data") ?? throw new ResampleException($"{manifestPath}: an input has no 'data'");
                string pix = Str(inp, "pixmap") ?? throw new ResampleException($"{manifestPath}: an input has no 'pixmap'");
                List<float[]?>? data2 = null;
                if (inp.TryGetProperty("data2", out JsonElement d2) && d2.ValueKind == JsonValueKind.Array)
                {
                    data2 = [.. d2.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : ReadFloat(dir, e.GetString()!))];
                }
                else if (inp.TryGetProperty("data2", out d2) && d2.ValueKind == JsonValueKind.String)
                {
                    data2 = [ReadFloat(dir, d2.GetString()!)];
                }

                string units = Str(inp, "in_units") ?? "cps";
                var input = new DrizzleInput
                {
                    Data = ReadFloat(dir, data),
                    Pixmap = PixmapFile.Read(Path.Combine(dir, pix)),
                    WeightMap = Str(inp, "weight") is { } w ? ReadFloat(dir, w) : null,
                    Dq = Str(inp, "dq") is { } q ? FitsFile.ReadImage<uint>(Path.Combine(dir, q)).Data : null,
                    Data2 = data2,
                    Exptime = Num(inp, "exptime") ?? 1.0,
                    InUnits = units.Equals("counts", StringComparison.OrdinalIgnoreCase) ? DrizzleUnits.Counts
                        : units.Equals("cps", StringComparison.OrdinalIgnoreCase) ? DrizzleUnits.Cps
                        : throw new ResampleException($"in_units must be cps or counts, got '{units}'"),
                    Iscale = Num(inp, "iscale") ?? 1.0,
                    PixelScaleRatio = inp.TryGetProperty("pixel_scale_ratio", out JsonElement p) ? (p.ValueKind == JsonValueKind.Null ? null : p.GetDouble()) : 1.0,
                    WhtScale = Num(inp, "wht_scale") ?? 1.0,
                    Pixfrac = Num(inp, "pixfrac") ?? 1.0,
                    Xmin = (int?)Num(inp, "xmin"),
                    Xmax = (int?)Num(inp, "xmax"),
                    Ymin = (int?)Num(inp, "ymin"),
                    Ymax = (int?)Num(inp, "ymax"),
                };
                var sw = Stopwatch.StartNew();
                results.Add(driz.AddImage(input));
                seconds += sw.Elapsed.TotalSeconds;
            }

            return new DrizzleCaseResult(driz, seconds, results);
        }
    }

    /// <summary>
    /// Writes a co-add as CONTRACTS.md says: empty primary HDU with EXPTIME, then SCI, WHT, CTX (int32, NAXIS3 =
    /// planes; omitted when context is disabled), VAR EXTVER 1..n and DQ (unsigned 32-bit) when present. Atomic.
    /// </summary>
    /// <param name="drizzle">The co-add.</param>
    /// <param name="path">Destination.</param>
    public static void WriteDrizzleOutput(Drizzle drizzle, string path)
    {
        ArgumentNullException.ThrowIfNull(drizzle);
        if (drizzle.OutImg is null)
        {
            throw new ResampleException("nothing was drizzled: the output shape is unknown");
        }

        int w = drizzle.OutputWidth, h = drizzle.OutputHeight;
        var primary = new FitsHeader();
        primary.Set("EXPTIME", drizzle.TotalExptime, "total exposure time (s)");
        primary.Set("DRIZKERN", DrizzleKernels.Name(drizzle.Kernel), "drizzle kernel");
        var hdus = new List<FitsWriteHdu>
        {
            FitsWriteHdu.Empty(primary),
            FitsWriteHdu.Image(drizzle.OutImg, [w, h]).Named("SCI"),
            FitsWriteHdu.Image(drizzle.OutWht!, [w, h]).Named("WHT"),
        };
        if (drizzle.OutCtx.Count > 0)
        {
            var ctx = new int[(long)w * h * drizzle.OutCtx.Count];
            for (int p = 0; p < drizzle.OutCtx.Count; p++)
            {
                drizzle.OutCtx[p].CopyTo(ctx, (long)p * w * h);
            }

            hdus.Add(FitsWriteHdu.Image(ctx, [w, h, drizzle.OutCtx.Count]).Named("CTX"));
        }

        for (int v = 0; v < drizzle.OutImg2.Count; v++)
        {
            hdus.Add(FitsWriteHdu.Image(drizzle.OutImg2[v], [w, h]).Named("VAR", v + 1));
        }

        if (drizzle.OutDq is not null)
        {
            hdus.Add(FitsWriteHdu.Image(drizzle.OutDq, [w, h]).Named("DQ"));
        }

        FitsWriter.Write(path, hdus);
    }

    /// <summary>Runs a blot case manifest.</summary>
    /// <param name="manifestPath">The case JSON.</param>
    /// <param name="threads">Thread count (null: all cores).</param>
    /// <returns>The blotted image, its width and height, and the seconds spent blotting.</returns>
    public static (float[] Image, int Width, int Height, double KernelSeconds) RunBlot(string manifestPath, int? threads = null)
    {
        JsonElement r = ReadManifest(manifestPath, out JsonDocument doc);
        using (doc)
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
            string data = Str(r, "data") ?? throw new ResampleException($"{manifestPath}: no 'data'");
            string pix = Str(r, "pixmap") ?? throw new ResampleException($"{manifestPath}: no 'pixmap'");
            FitsImage<float> src = FitsFile.ReadImage<float>(Path.Combine(dir, data));
            if (src.Shape.Length != 2)
            {
                throw new ResampleException($"blot source {data} is not a 2-D image");
            }

            Pixmap map = PixmapFile.Read(Path.Combine(dir, pix));
            var options = new BlotOptions
            {
                Interp = Blot.ParseInterpolation(Str(r, "interp") ?? "poly5"),
                Iscale = Num(r, "iscale") ?? 1.0,
                Fillval = (float)(Num(r, "fillval") ?? 0.0),
                Sinscl = Num(r, "sinscl") ?? 1.0,
                MaxDegreeOfParallelism = threads,
            };
            var sw = Stopwatch.StartNew();
            float[] o = Blot.Run(src.Data, src.Width, src.Height, map, options);
            return (o, map.Width, map.Height, sw.Elapsed.TotalSeconds);
        }
    }

    private static JsonElement ReadManifest(string path, out JsonDocument doc)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new ResampleException($"cannot read case manifest {path}: {e.Message}", e);
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new ResampleException($"case manifest {path} is not a JSON object");
        }

        return doc.RootElement;
    }

    private static float[] ReadFloat(string dir, string file)
    {
        FitsImage<float> img = FitsFile.ReadImage<float>(Path.Combine(dir, file));
        return img.Data;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Num(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => throw new ResampleException($"'{name}' must be a number"),
        };
    }

    private static FillValue Fill(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return FillValue.Indef;
        }

        return v.ValueKind == JsonValueKind.Number ? FillValue.Of((float)v.GetDouble()) : FillValue.Parse(v.GetString());
    }
}
