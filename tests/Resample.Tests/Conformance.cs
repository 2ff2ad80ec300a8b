using System.Text.Json;
using TweakDrizzle.Fits;

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

    public static Drizzle RunResample(string dir, int? threads = null) =>
        ResampleCase.RunDrizzle(Path.Combine(dir, "case.json"), threads).Drizzle;

    private sealed class Expected(string path) : IDisposable
    {
        private readonly FitsFile _file = FitsFile.Open(path);

        public FitsHeader Primary => _file.Hdus[0].Header;

        public int Width => (int)_file.Hdus.First(h => h.ExtName == "SCI" || h.Index == 0 && h.ElementCount > 0).Width;

        public bool Has(string name) => _file.Hdus.Any(h => h.ExtName == name);

        public double[] Values(string name, int ver = 1) => _file.Hdus.First(h => h.ExtName == name && h.ExtVer == ver).ReadImage<double>().Data;

        public double[] First() => _file.Hdus[0].ReadImage<double>().Data;

        public long[] Shape(string name) => _file.Hdus.First(h => h.ExtName == name).Shape;

        public void Dispose() => _file.Dispose();
    }

    /// <summary>Returns the list of rule violations (empty = pass).</summary>
    public static List<string> CompareResample(string dir, Drizzle d)
    {
        var errs = new List<string>();
        using var e = new Expected(Path.Combine(dir, "expected.fits.gz"));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement r = doc.RootElement;
        double[] cmp = e.Values("CMP");
        double[] es = e.Values("SCI");
        double[] ew = e.Values("WHT");
        int width = e.Width;
        float[] sci = d.OutImg!;
        float[] wht = d.OutWht!;
        double expExptime = e.Primary.GetDouble("EXPTIME");
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
        var planes = new List<(string Name, float[] Act, double[] Exp, float Fill)> { ("SCI", sci, es, fill) };
        for (int v = 0; v < d.OutImg2.Count; v++)
        {
            double[] ev = e.Values("VAR", v + 1);
            planes.Add(($"VAR{v + 1}", d.OutImg2[v], ev, FillOf(r.GetProperty("fillval2"))));
        }

        bool hasCtx = !r.GetProperty("disable_ctx").GetBoolean();
        double[]? ectx = hasCtx ? e.Values("CTX") : null;
        int ectxPlanes = hasCtx ? (int)e.Shape("CTX")[2] : 0;
        if (hasCtx && ectxPlanes != d.OutCtx.Count)
        {
            errs.Add($"CTX planes {d.OutCtx.Count} != {ectxPlanes}");
        }

        double[]? edq = e.Has("DQ") ? e.Values("DQ") : null;
        if ((edq is null) != (d.OutDq is null))
        {
            errs.Add("DQ presence differs");
        }

        double[] medians = [.. planes.Select(p => Median(sel.Select(k => Math.Abs(p.Exp[k]))))];
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
                    errs.Add($"WHT[{k % width},{k / width}] {wht[k]} != {ew[k]}");
                }
            }
            else if (wht[k] != 0)
            {
                errs.Add($"WHT[{k}] should be 0");
            }

            for (int p = 0; p < planes.Count; p++)
            {
                (string name, float[] act, double[] exp, _) = planes[p];
                if (compared && ew[k] > 1e-6 * maxW)
                {
                    double diff = Math.Abs(act[k] - exp[k]);
                    double rel = diff == 0 ? 0 : diff / Math.Max(Math.Abs(exp[k]), 0.1 * medians[p]);
                    if (!(rel <= 1e-5))
                    {
                        errs.Add($"{name}[{k % width},{k / width}] {act[k]} != {exp[k]} (rel {rel:g3})");
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
                for (int p = 0; p < d.OutCtx.Count && p < ectxPlanes; p++)
                {
                    long ev = (long)ectx![(p * es.Length) + k];
                    if (d.OutCtx[p][k] != ev || (!compared && ev != 0))
                    {
                        errs.Add($"CTX[{p}][{k % width},{k / width}] {d.OutCtx[p][k]} != {ev}");
                    }
                }
            }

            if (edq is not null && d.OutDq is not null && d.OutDq[k] != (uint)edq[k])
            {
                errs.Add($"DQ[{k}] {d.OutDq[k]} != {edq[k]}");
            }
        }

        return errs;
    }

    public static (float[] Output, List<string> Errors) RunAndCompareBlot(string dir, int? threads = null)
    {
        (float[] o, int mapWidth, _, _) = ResampleCase.RunBlot(Path.Combine(dir, "case.json"), threads);
        using var e = new Expected(Path.Combine(dir, "expected.fits.gz"));
        double[] exp = e.First();
        double[] cmp = e.Values("CMP");
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
                errs.Add($"[{k % mapWidth},{k / mapWidth}] {o[k]} != {exp[k]} (rel {rel:g3})");
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
