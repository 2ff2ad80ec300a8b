using System.Globalization;
using System.Text.Json;
using TweakDrizzle.Matching;
using TweakDrizzle.WcsFit;

namespace TweakDrizzle.WcsFit.Tests;

public class LinearFitterTests
{
    [Fact]
    public void Pure_rotation_reports_tweakreg_rot_and_scale()
    {
        // ref = s·R(θ)·in + t  ⇒  TweakReg (ref → in) ROT = θ, SCALE = 1/s.
        Affine2D truth = Affine2D.Similarity(1.0002, 0.03, false, 3.7, -5.2);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 200, noise: 0);
        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { Center = (2048, 2048) });
        Assert.Equal(FitStatus.Success, f.Status);
        Assert.Equal(0.03, f.Rot, 9);
        Assert.Equal(1 / 1.0002, f.Scale, 12);
        Assert.Equal(0, f.Skew, 9);
        Assert.Equal(200, f.NMatch);

        // XSH/YSH: input − reference at the centre.
        (double cx, double cy) = truth.Inverse().Apply(2048, 2048);
        Assert.Equal(cx - 2048, f.XSh, 8);
        Assert.Equal(cy - 2048, f.YSh, 8);
    }

    [Fact]
    public void Negative_rotation_wraps_to_0_360()
    {
        Affine2D truth = Affine2D.Similarity(1, -1.5, false, 0, 0);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 50, noise: 0);
        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default);
        Assert.Equal(358.5, f.Rot, 9);
    }

    [Fact]
    public void Pure_shift_gives_minus_the_shift()
    {
        Affine2D truth = Affine2D.Translation(3.7, -5.2);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 30, noise: 0);
        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { FitGeometry = FitGeometry.Shift });
        Assert.Equal(-3.7, f.XSh, 10);
        Assert.Equal(5.2, f.YSh, 10);
        Assert.Equal(1, f.Scale, 12);
    }

    [Fact]
    public void General_fit_reports_skew()
    {
        var truth = new Affine2D(1.0, 0.001, 0.0, 1.0, 0, 0);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 60, noise: 0);
        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { FitGeometry = FitGeometry.General });
        Assert.True(Math.Abs(f.Skew) > 0.05, $"skew {f.Skew}");
        Assert.Equal(f.RotY - f.RotX, f.Skew, 12);
    }

    [Fact]
    public void Accumulating_clipping_removes_outliers()
    {
        Affine2D truth = Affine2D.Similarity(1, 0.1, false, 1, 2);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 300, noise: 0.05);
        xr[5] += 3;
        yr[17] -= 2;
        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default);
        Assert.False(f.Used[5]);
        Assert.False(f.Used[17]);
        Assert.True(f.NMatch >= 280);
        Assert.InRange(f.XRms, 0.03, 0.07);
        Assert.Equal(300, f.ResidualX.Count);
    }

    [Fact]
    public void Readmit_mode_lets_good_points_back()
    {
        Affine2D truth = Affine2D.Similarity(1, 0.1, false, 1, 2);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 300, noise: 0.05);
        xr[5] += 3;
        FitResult acc = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { ClipMode = ClipMode.Accumulate });
        FitResult re = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { ClipMode = ClipMode.Readmit });
        Assert.False(re.Used[5]);
        Assert.True(re.NMatch >= acc.NMatch);
    }

    [Fact]
    public void Too_few_points_and_acceptance_limits_fail()
    {
        Affine2D truth = Affine2D.Translation(1, 1);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 10, noise: 0.5);
        Assert.Equal(FitStatus.Failed, LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { MinObj = 15 }).Status);
        FitResult r = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { MaxRms = 0.01, NClip = 0 });
        Assert.Equal(FitStatus.Failed, r.Status);
        Assert.Contains("exceeds", r.Message, StringComparison.Ordinal);
        Assert.Throws<WcsFitException>(() => LinearFitter.Fit(xi, yi, xr, yr.AsSpan(1), default));
    }

    [Fact]
    public void Same_answer_as_drizzlepac_on_a_conformance_case()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "d02");
        double[][] input = ReadCsv(Path.Combine(dir, "in.csv"));
        double[][] reference = ReadCsv(Path.Combine(dir, "ref.csv"));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "pairs_oracle.json")));
        JsonElement pairs = doc.RootElement.GetProperty("pairs"), o = doc.RootElement.GetProperty("drizzlepac");
        int n = pairs.GetArrayLength();
        var xi = new double[n];
        var yi = new double[n];
        var xr = new double[n];
        var yr = new double[n];
        int k = 0;
        foreach (JsonElement p in pairs.EnumerateArray())
        {
            xi[k] = input[p[0].GetInt32()][0];
            yi[k] = input[p[0].GetInt32()][1];
            xr[k] = reference[p[1].GetInt32()][0];
            yr[k] = reference[p[1].GetInt32()][1];
            k++;
        }

        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default, new FitOptions { FitGeometry = FitGeometry.RScale, NClip = 3, Sigma = 3 });
        Assert.Equal(o.GetProperty("nfit").GetInt32(), f.NMatch);
        Assert.Equal(o.GetProperty("rot").GetDouble(), f.Rot, 9);
        Assert.Equal(o.GetProperty("scale").GetDouble(), f.Scale, 7);
        Assert.Equal(o.GetProperty("xrms").GetDouble(), f.XRms, 4);
        Assert.Equal(o.GetProperty("yrms").GetDouble(), f.YRms, 4);
        Assert.Equal(o.GetProperty("shift")[0].GetDouble(), f.Transform.Tx, 3);
        Assert.Equal(o.GetProperty("shift")[1].GetDouble(), f.Transform.Ty, 3);
    }

    private static double[][] ReadCsv(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    private static (double[], double[], double[], double[]) Points(Affine2D t, int n, double noise)
    {
        var rng = new Random(7);
        var xi = new double[n];
        var yi = new double[n];
        var xr = new double[n];
        var yr = new double[n];
        for (int i = 0; i < n; i++)
        {
            xi[i] = rng.NextDouble() * 4096;
            yi[i] = rng.NextDouble() * 4096;
            (xr[i], yr[i]) = t.Apply(xi[i], yi[i]);
            xr[i] += noise * Gauss(rng);
            yr[i] += noise * Gauss(rng);
        }

        return (xi, yi, xr, yr);
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

public class ShiftFileTests
{
    [Fact]
    public void Rows_use_tweakregs_exact_format()
    {
        string text = ShiftFile.Format(
        [
            ShiftFileRow.Reference("j8ny01svq_flc.fits"),
            new ShiftFileRow("j8ny01szq_flc.fits", 0.123456, -0.234567, 0.000012, 1.000001, 0.041, 0.043),
            ShiftFileRow.Unmatched("bad_flc.fits"),
        ]);
        string expected =
            "# frame: output\n# refimage: shifts_wcs.fits[wcs]\n# form: delta\n# units: pixels\n" +
            "j8ny01svq_flc.fits    0.000000  0.000000    0.000000     1.000000   0.000000  0.000000\n" +
            "j8ny01szq_flc.fits    0.123456  -0.234567    0.000012     1.000001   0.041000  0.043000\n" +
            "bad_flc.fits    nan  nan    nan     nan   nan  nan\n";
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Write_then_read_round_trips_and_skips_empty()
    {
        string path = Path.Combine(Path.GetTempPath(), $"td-shifts-{Guid.NewGuid():N}.txt");
        try
        {
            Assert.False(ShiftFile.Write(path, []));
            Assert.False(File.Exists(path));
            var rows = new[] { new ShiftFileRow("a.fits", 3.699439, -5.198521, 0.029916, 1.000199, 0.047017, 0.049512) };
            Assert.True(ShiftFile.Write(path, rows));
            IReadOnlyList<ShiftFileRow> back = ShiftFile.Read(path);
            Assert.Equal(rows, back);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
