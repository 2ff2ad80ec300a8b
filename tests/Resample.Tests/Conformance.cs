using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TweakDrizzle.Resample.Tests;

/// <summary>Runs a conformance case (CONTRACTS.md manifests) on the engine and applies the README comparison rule.</summary>
internal static class Conformance
{
    public static string FixtureDir(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static IEnumerable<string> Cases(string kind) =>
        Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures"))
            .Select(Path.GetFileName)
            .Where(n => (n!.Contains("blot", StringComparison.Ordinal) ? "blot" : "resample") == kind)
            .Order(StringComparer.Ordinal)!;

    public static Drizzle RunResample(string dir, int? threads = null)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement r = doc.RootElement;
        int[] shape = [.. r.GetProperty("out_shape").EnumerateArray().Select(e => e.GetInt32())];
        var driz = new Drizzle(new DrizzleOptions
        {
            Kernel = DrizzleKernels.Parse(r.GetProperty("kernel").GetString()!),
            OutputHeight = shape[0],
            OutputWidth = shape[1],
            FillValue = Fill(r.GetProperty("fillval")),
            FillValue2 = Fill(r.GetProperty("fillval2")),
            DisableCtx = r.GetProperty("disable_ctx").GetBoolean(),
            BeginCtxId = r.GetProperty("begin_ctx_id").GetInt32(),
            MaxCtxId = r.GetProperty("max_ctx_id").ValueKind == JsonValueKind.Null ? null : r.GetProperty("max_ctx_id").GetInt32(),
            MaxDegreeOfParallelism = threads,
        });
        foreach (JsonElement inp in r.GetProperty("inputs").EnumerateArray())
        {
            float[] data = TestFits.Open(Path.Combine(dir, inp.GetProperty("data").GetString()!)).First.Floats();
            Pixmap map = TestFits.Open(Path.Combine(dir, inp.GetProperty("pixmap").GetString()!)).First.AsPixmap();
            float[]? wht = Str(inp, "weight") is { } w ? TestFits.Open(Path.Combine(dir, w)).First.Floats() : null;
            uint[]? dq = Str(inp, "dq") is { } q ? TestFits.Open(Path.Combine(dir, q)).First.UInts() : null;
            List<float[]?>? data2 = null;
            if (inp.GetProperty("data2").ValueKind == JsonValueKind.Array)
            {
                data2 = [.. inp.GetProperty("data2").EnumerateArray().Select(e =>
                    e.ValueKind == JsonValueKind.Null ? null : TestFits.Open(Path.Combine(dir, e.GetString()!)).First.Floats())];
            }

            driz.AddImage(new DrizzleInput
            {
                Data = data,
                Pixmap = map,
                WeightMap = wht,
                Dq = dq,
                Data2 = data2,
                Exptime = inp.GetProperty("exptime").GetDouble(),
                InUnits = inp.GetProperty("in_units").GetString() == "counts" ? DrizzleUnits.Counts : DrizzleUnits.Cps,
                Iscale = inp.GetProperty("iscale").GetDouble(),
                PixelScaleRatio = Num(inp, "pixel_scale_ratio"),
                WhtScale = inp.GetProperty("wht_scale").GetDouble(),
                Pixfrac = inp.GetProperty("pixfrac").GetDouble(),
                Xmin = (int?)Num(inp, "xmin"),
                Xmax = (int?)Num(inp, "xmax"),
                Ymin = (int?)Num(inp, "ymin"),
                Ymax = (int?)Num(inp, "ymax"),
            });
        }

        return driz;
    }

    /// <summary>Returns the list of rule violations (empty = pass).</summary>
    public static List<string> CompareResample(string dir, Drizzle d)
    {
        var errs = new List<string>();
        TestFits e = TestFits.Open(Path.Combine(dir, "expected.fits"));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement r = doc.RootElement;
        double[] cmp = e["CMP"].Values;
        double[] es = e["SCI"].Values;
        double[] ew = e["WHT"].Values;
        float[] sci = d.OutImg!;
        float[] wht = d.OutWht!;
        double expExptime = double.Parse(e.Hdus[0].Cards["EXPTIME"], CultureInfo.InvariantCulture);
        if (Math.Abs(d.TotalExptime - expExptime) > 1e-6 * Math.Abs(expExptime))
        {
            errs.Add($"EXPTIME {d.TotalExptime} != {expExptime}");
        }

        if (sci.Length != es.Length)
        {
            errs.Add("shape");
            return errs;
        }

        float fill = FillOf(r.GetProperty("fillval"));
        double maxW = ew.Max();
        var sel = Enumerable.Range(0, es.Length).Where(k => cmp[k] == 1 && ew[k] > 1e-6 * maxW).ToArray();
        double med = Median(sel.Select(k => Math.Abs(es[k])));
        var planes = new List<(string Name, float[] Act, double[] Exp, float Fill)> { ("SCI", sci, es, fill) };
        for (int v = 0; v < d.OutImg2.Count; v++)
        {
            double[] ev = e["VAR", v + 1].Values;
            planes.Add(($"VAR{v + 1}", d.OutImg2[v], ev, FillOf(r.GetProperty("fillval2"))));
        }

        bool hasCtx = !r.GetProperty("disable_ctx").GetBoolean();
        TestFits.Hdu? ectx = hasCtx ? e["CTX"] : null;
        if (hasCtx && ectx!.Shape[2] != d.OutCtx.Count)
        {
            errs.Add($"CTX planes {d.OutCtx.Count} != {ectx.Shape[2]}");
        }

        TestFits.Hdu? edq = e.Hdus.FirstOrDefault(h => h.Name == "DQ");
        if ((edq is null) != (d.OutDq is null))
        {
            errs.Add("DQ presence differs");
        }

        for (int k = 0; k < es.Length && errs.Count < 20; k++)
        {
            if (cmp[k] == 0)
            {
                continue;
            }

            bool compared = cmp[k] == 1;
            if (compared)
            {
                if (Math.Abs(wht[k] - ew[k]) > 1e-5 * Math.Max(Math.Abs(ew[k]), 1e-6 * maxW))
                {
                    errs.Add($"WHT[{k % e["SCI"].Width},{k / e["SCI"].Width}] {wht[k]} != {ew[k]}");
                }
            }
            else if (wht[k] != 0)
            {
                errs.Add($"WHT[{k}] should be 0");
            }

            foreach ((string name, float[] act, double[] exp, float f) in planes)
            {
                if (compared && ew[k] > 1e-6 * maxW)
                {
                    double rel = Math.Abs(act[k] - exp[k]) / Math.Max(Math.Abs(exp[k]), 0.1 * med);
                    if (!(rel <= 1e-5))
                    {
                        errs.Add($"{name}[{k % e["SCI"].Width},{k / e["SCI"].Width}] {act[k]} != {exp[k]} (rel {rel:g3})");
                    }
                }
                else if ((compared && ew[k] == 0 && wht[k] == 0) || !compared)
                {
                    bool same = float.IsNaN((float)exp[k]) ? float.IsNaN(act[k]) : act[k] == (float)exp[k];
                    if (!same)
                    {
                        errs.Add($"{name}[{k}] fill {act[k]} != {exp[k]}");
                    }
                }
            }

            if (hasCtx)
            {
                for (int p = 0; p < d.OutCtx.Count && p < ectx!.Shape[2]; p++)
                {
                    long ev = (long)ectx.Values[(p * es.Length) + k];
                    if (d.OutCtx[p][k] != ev || (!compared && ev != 0))
                    {
                        errs.Add($"CTX[{p}][{k % e["SCI"].Width},{k / e["SCI"].Width}] {d.OutCtx[p][k]} != {ev}");
                    }
                }
            }

            if (edq is not null && d.OutDq is not null && d.OutDq[k] != (uint)edq.Values[k])
            {
                errs.Add($"DQ[{k}] {d.OutDq[k]} != {edq.Values[k]}");
            }
        }

        return errs;
    }

    public static (float[] Output, List<string> Errors) RunAndCompareBlot(string dir, int? threads = null)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement r = doc.RootElement;
        TestFits.Hdu src = TestFits.Open(Path.Combine(dir, r.GetProperty("data").GetString()!)).First;
        Pixmap map = TestFits.Open(Path.Combine(dir, r.GetProperty("pixmap").GetString()!)).First.AsPixmap();
        float[] o = Blot.Run(src.Floats(), src.Width, src.Height, map, new BlotOptions
        {
            Interp = Blot.ParseInterpolation(r.GetProperty("interp").GetString()!),
            Iscale = r.GetProperty("iscale").GetDouble(),
            Fillval = (float)r.GetProperty("fillval").GetDouble(),
            MaxDegreeOfParallelism = threads,
        });
        TestFits e = TestFits.Open(Path.Combine(dir, "expected.fits"));
        double[] exp = e.Hdus[0].Values;
        double[] cmp = e["CMP"].Values;
        double med = Median(Enumerable.Range(0, exp.Length).Where(k => cmp[k] == 1).Select(k => Math.Abs(exp[k])));
        var errs = new List<string>();
        for (int k = 0; k < exp.Length && errs.Count < 20; k++)
        {
            if (cmp[k] != 1)
            {
                continue;
            }

            double rel = Math.Abs(o[k] - exp[k]) / Math.Max(Math.Abs(exp[k]), 0.1 * med);
            if (!(rel <= 1e-5))
            {
                errs.Add($"[{k % map.Width},{k / map.Width}] {o[k]} != {exp[k]} (rel {rel:g3})");
            }
        }

        return (o, errs);
    }

    private static double Median(IEnumerable<double> v)
    {
        double[] a = [.. v.Order()];
        return a.Length == 0 ? 0 : a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[(a.Length / 2) - 1] + a[a.Length / 2]);
    }

    private static string? Str(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    private static double? Num(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

    private static FillValue Fill(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => FillValue.Of((float)e.GetDouble()),
        JsonValueKind.Null => FillValue.Indef,
        _ => FillValue.Parse(e.GetString()),
    };

    private static float FillOf(JsonElement e)
    {
        FillValue f = Fill(e);
        return f.IsIndef ? float.NaN : f.Value;
    }
}
