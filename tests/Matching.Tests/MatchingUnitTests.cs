using TweakDrizzle.Matching;

namespace TweakDrizzle.Matching.Tests;

public class Affine2DTests
{
    [Fact]
    public void Inverse_and_composition_give_identity()
    {
        Affine2D m = Affine2D.Similarity(1.7, 33.0, flip: true, 120.5, -40.25);
        Affine2D id = m.Inverse().After(m);
        Assert.Equal(1, id.A, 12);
        Assert.Equal(0, id.B, 12);
        Assert.Equal(0, id.C, 12);
        Assert.Equal(1, id.D, 12);
        Assert.Equal(0, id.Tx, 9);
        Assert.Equal(0, id.Ty, 9);
        Assert.True(m.Determinant < 0);
        Assert.Equal(1.7, m.Scale, 12);
    }

    [Fact]
    public void Singular_map_has_no_inverse()
    {
        var m = new Affine2D(1, 2, 2, 4, 0, 0);
        Assert.Throws<MatchingException>(() => m.Inverse());
    }
}

public class TransformEstimatorTests
{
    [Theory]
    [InlineData(FitGeometry.Shift, 1.0, 0.0, false)]
    [InlineData(FitGeometry.RShift, 1.0, 17.0, false)]
    [InlineData(FitGeometry.RScale, 0.8, -123.0, false)]
    [InlineData(FitGeometry.RScale, 2.5, 60.0, true)]
    [InlineData(FitGeometry.RShift, 1.0, 200.0, true)]
    public void Exact_points_give_the_exact_map(FitGeometry g, double scale, double rot, bool flip)
    {
        Affine2D truth = Affine2D.Similarity(scale, rot, flip, 31.5, -7.25);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 25);
        Affine2D fit = TransformEstimator.Fit(xi, yi, xr, yr, default, g);
        Assert.True(SyntheticCatalogs.MaxError(fit, truth) < 1e-8, $"{fit} vs {truth}");
    }

    [Fact]
    public void General_fit_recovers_skew_and_anisotropic_scale()
    {
        var truth = new Affine2D(1.0003, 0.0021, -0.0015, 0.9991, 5.5, 8.25);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 40);
        Affine2D fit = TransformEstimator.Fit(xi, yi, xr, yr, default, FitGeometry.General);
        Assert.True(SyntheticCatalogs.MaxError(fit, truth) < 1e-8);
    }

    [Fact]
    public void Zero_weights_drop_points()
    {
        Affine2D truth = Affine2D.Translation(3, 4);
        (double[] xi, double[] yi, double[] xr, double[] yr) = Points(truth, 10);
        xr[0] += 1000;
        var w = Enumerable.Repeat(1.0, 10).ToArray();
        w[0] = 0;
        Affine2D fit = TransformEstimator.Fit(xi, yi, xr, yr, w, FitGeometry.Shift);
        Assert.Equal(3, fit.Tx, 10);
        Assert.Equal(4, fit.Ty, 10);
    }

    [Fact]
    public void Too_few_points_is_an_error()
    {
        Assert.Throws<MatchingException>(() => TransformEstimator.Fit([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], default, FitGeometry.General));
    }

    private static (double[], double[], double[], double[]) Points(Affine2D t, int n)
    {
        var rng = new Random(3);
        var xi = new double[n];
        var yi = new double[n];
        var xr = new double[n];
        var yr = new double[n];
        for (int i = 0; i < n; i++)
        {
            xi[i] = rng.NextDouble() * 4000;
            yi[i] = rng.NextDouble() * 4000;
            (xr[i], yr[i]) = t.Apply(xi[i], yi[i]);
        }

        return (xi, yi, xr, yr);
    }
}

public class ToleranceMatcherTests
{
    [Fact]
    public void Matches_are_one_to_one_and_nearest_first()
    {
        // Two inputs near one reference: only the nearer one matches it; the other takes its own partner.
        var input = new SourceCatalog([10.0, 10.6, 50.0], [10.0, 10.0, 50.0]);
        var reference = new SourceCatalog([10.5, 50.2], [10.0, 50.1]);
        MatchPair[] pairs = ToleranceMatcher.Match(input, reference, Affine2D.Identity, 1.0);
        Assert.Equal([new MatchPair(1, 0), new MatchPair(2, 1)], pairs);
    }

    [Fact]
    public void Sources_closer_than_separation_are_not_matched()
    {
        var input = new SourceCatalog([10.0, 10.3, 40.0], [10.0, 10.0, 40.0]);
        var reference = new SourceCatalog([10.1, 40.0], [10.0, 40.0]);
        MatchPair[] pairs = ToleranceMatcher.Match(input, reference, Affine2D.Identity, 1.0, separation: 0.5);

        // The later of the confused pair (x = 10.3) is left out, as xyxymatch does; the first still matches.
        Assert.Equal([new MatchPair(0, 0), new MatchPair(2, 1)], pairs);
    }

    [Fact]
    public void The_guess_is_applied_before_matching()
    {
        (SourceCatalog input, SourceCatalog reference, Dictionary<int, int> truth) =
            SyntheticCatalogs.Make(500, Affine2D.Similarity(1, 90, false, 4000, 0), 0.0, seed: 5);
        MatchPair[] pairs = ToleranceMatcher.Match(input, reference, Affine2D.Similarity(1, 90, false, 4000, 0), 1.0);
        Assert.True(pairs.Length >= 490);
        Assert.All(pairs, p => Assert.Equal(truth[p.InIndex], p.RefIndex));
    }

    [Fact]
    public void Bad_tolerance_is_rejected()
    {
        var c = new SourceCatalog([1.0], [1.0]);
        Assert.Throws<MatchingException>(() => ToleranceMatcher.Match(c, c, Affine2D.Identity, 0));
    }
}

public class OffsetHistogramTests
{
    [Theory]
    [InlineData(25.3)]
    [InlineData(25.7)]
    [InlineData(20.0)]
    public void Offset_has_no_ceil_bias_for_fractional_search_radius(double searchrad)
    {
        (SourceCatalog input, SourceCatalog reference, _) =
            SyntheticCatalogs.Make(2000, Affine2D.Translation(3.4, -2.2), 0.1, seed: 11);
        HistogramPeak peak = OffsetHistogram.Estimate(input, reference, Affine2D.Identity, searchrad);
        HistogramPeak integerRadius = OffsetHistogram.Estimate(input, reference, Affine2D.Identity, Math.Ceiling(searchrad));

        // Same bins, same estimate: the fractional part of searchrad does not shift the answer (TweakReg's does, by ceil(r) − r).
        Assert.Equal(integerRadius.Dx, peak.Dx, 12);
        Assert.Equal(integerRadius.Dy, peak.Dy, 12);
        Assert.Equal(PeakMethod.Quadratic, peak.Method);
        Assert.InRange(peak.Dx, 2.4, 4.4);
        Assert.InRange(peak.Dy, -3.2, -1.2);
        Assert.True(peak.Significance > 20, $"significance {peak.Significance}");
        Assert.True(peak.BoxCount >= 1700);
    }

    [Fact]
    public void No_pairs_gives_zero_offset()
    {
        var a = new SourceCatalog([0.0], [0.0]);
        var b = new SourceCatalog([1000.0], [1000.0]);
        HistogramPeak peak = OffsetHistogram.Estimate(a, b, Affine2D.Identity, 5);
        Assert.Equal(PeakMethod.NoPairs, peak.Method);
        Assert.Equal(0, peak.Dx);
    }

    [Fact]
    public void Offset_beyond_the_radius_lands_on_the_edge()
    {
        (SourceCatalog input, SourceCatalog reference, _) =
            SyntheticCatalogs.Make(1000, Affine2D.Translation(50, -30), 0.0, seed: 2);
        HistogramPeak peak = OffsetHistogram.Estimate(input, reference, Affine2D.Identity, 10);
        Assert.NotEqual(PeakMethod.Quadratic, peak.Method);
        Assert.True(peak.Significance < 10, $"significance {peak.Significance}");
    }
}

public class AsterismAndStrategyTests
{
    [Theory]
    [InlineData(137.0, true, 1.3, 0.1)]
    [InlineData(-71.0, false, 0.3, 0.1)]
    [InlineData(250.0, true, 3.0, 0.1)]
    [InlineData(12.0, false, 1.0, 0.7)]
    public void Finds_any_rotation_flip_and_scale(double rot, bool flip, double scale, double unrelated)
    {
        Affine2D truth = Affine2D.Similarity(scale, rot, flip, 3000, -1500);
        (SourceCatalog input, SourceCatalog reference, Dictionary<int, int> map) = SyntheticCatalogs.Make(3000, truth, unrelated, seed: 17);
        MatchResult r = CatalogMatcher.Match(input, reference, new MatchOptions { Strategy = MatchStrategy.Asterism });
        Assert.True(r.Status == MatchStatus.Success, r.Message);
        Assert.Equal("asterism", r.Strategy);
        Assert.True(SyntheticCatalogs.MaxError(r.Transform, truth) < 0.05 * Math.Max(1, scale), $"error {SyntheticCatalogs.MaxError(r.Transform, truth)}");
        int good = r.Pairs.Count(p => map.TryGetValue(p.InIndex, out int j) && j == p.RefIndex);
        Assert.True(good >= 0.95 * map.Count, $"{good} of {map.Count}");
        Assert.True(r.Pairs.Count - good <= 0.01 * r.Pairs.Count);
        Assert.True(r.Log10FalseAlarm < -30);
    }

    [Fact]
    public void Auto_uses_the_histogram_when_the_catalogs_are_close()
    {
        Affine2D truth = Affine2D.Similarity(1.00005, 0.02, false, 2.9, -2.5);
        (SourceCatalog input, SourceCatalog reference, _) = SyntheticCatalogs.Make(20000, truth, 0.05, seed: 23);
        MatchResult r = CatalogMatcher.Match(input, reference, new MatchOptions { FitGeometry = FitGeometry.General });
        Assert.Equal(MatchStatus.Success, r.Status);
        Assert.Equal("histogram", r.Strategy);
        Assert.NotNull(r.Histogram);
        Assert.True(SyntheticCatalogs.MaxError(r.Transform, truth) < 0.01);
        Assert.True(r.NMatch >= 18500);
    }

    [Fact]
    public void Unrelated_catalogs_fail_with_a_reason()
    {
        (SourceCatalog a, _, _) = SyntheticCatalogs.Make(1000, Affine2D.Identity, 0, seed: 1);
        (SourceCatalog b, _, _) = SyntheticCatalogs.Make(1000, Affine2D.Identity, 0, seed: 2);
        MatchResult r = CatalogMatcher.Match(a, b);
        Assert.Equal(MatchStatus.Failed, r.Status);
        Assert.Contains("chance", r.Message, StringComparison.Ordinal);
        Assert.True(r.Log10FalseAlarm > -2);
    }

    [Fact]
    public void Results_are_deterministic()
    {
        Affine2D truth = Affine2D.Similarity(1.1, 45, true, 100, 200);
        (SourceCatalog input, SourceCatalog reference, _) = SyntheticCatalogs.Make(1500, truth, 0.3, seed: 9);
        MatchResult a = CatalogMatcher.Match(input, reference);
        MatchResult b = CatalogMatcher.Match(input, reference);
        Assert.Equal(a.Transform, b.Transform);
        Assert.Equal(a.Pairs, b.Pairs);
    }

    [Fact]
    public void Search_radius_in_arcseconds_uses_the_pixel_scale()
    {
        (SourceCatalog input, SourceCatalog reference, _) = SyntheticCatalogs.Make(1000, Affine2D.Translation(30, -12), 0, seed: 8);
        var options = new MatchOptions { Strategy = MatchStrategy.Histogram, SearchRadius = 2.0, SearchUnits = SearchUnits.Arcseconds, PixelScale = 0.05 };
        MatchResult r = CatalogMatcher.Match(input, reference, options);
        Assert.Equal(MatchStatus.Success, r.Status);
        Assert.Equal(40, r.Histogram!.Radius);
        Assert.Equal(30, r.Transform.Tx, 1);
    }

    [Fact]
    public void Tolerance_strategy_uses_the_given_offset()
    {
        (SourceCatalog input, SourceCatalog reference, _) = SyntheticCatalogs.Make(800, Affine2D.Translation(300, 200), 0, seed: 4);
        MatchResult r = CatalogMatcher.Match(input, reference, new MatchOptions
        {
            Strategy = MatchStrategy.Tolerance, XOffset = 299.6, YOffset = 200.3, Tolerance = 1.5, FitGeometry = FitGeometry.Shift,
        });
        Assert.Equal(MatchStatus.Success, r.Status);
        Assert.Equal(300, r.Transform.Tx, 1);
        Assert.Equal(200, r.Transform.Ty, 1);
    }

    [Fact]
    public void Poisson_tail_is_sane()
    {
        Assert.Equal(Math.Log(1 - Math.Exp(-0.5)), CatalogMatcher.LogPoissonTail(1, 0.5), 6);
        Assert.True(CatalogMatcher.LogPoissonTail(50, 1.0) < -100);
        Assert.Equal(0, CatalogMatcher.LogPoissonTail(1, 5.0));
        Assert.Equal(Math.Log(3628800), CatalogMatcher.LogFactorial(10), 9);
        Assert.Equal(Math.Log(3628800.0 * 11 * 12 * 13 * 14 * 15 * 16 * 17 * 18 * 19 * 20 * 21 * 22 * 23 * 24 * 25 * 26 * 27 * 28 * 29 * 30 * 31 * 32), CatalogMatcher.LogFactorial(32), 8);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        var c = new SourceCatalog([1.0, 2.0], [1.0, 2.0]);
        Assert.Throws<MatchingException>(() => CatalogMatcher.Match(c, c, new MatchOptions { SearchRadius = -1 }));
        Assert.Throws<MatchingException>(() => CatalogMatcher.Match(c, c, new MatchOptions { MaxFalseAlarm = 2 }));
        Assert.Throws<MatchingException>(() => CatalogMatcher.Match(c, c, new MatchOptions { SearchRadius = 1, SearchUnits = SearchUnits.Arcseconds }));
    }
}

public class SourceCatalogTests
{
    [Fact]
    public void Reads_xcentroid_columns_and_flux()
    {
        string path = Path.Combine(Path.GetTempPath(), $"td-cat-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "id,xcentroid,ycentroid,flux\n1,1.5,2.5,10\n2,3.5,4.5,20\n");
        try
        {
            SourceCatalog c = SourceCatalog.ReadCsv(path);
            Assert.Equal(2, c.Count);
            Assert.True(c.HasFlux);
            Assert.Equal(3.5, c.X[1]);
            Assert.Equal(4.5, c.Y[1]);
            Assert.Equal(20, c.Flux[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("a,b\n1,2\n", "no x,y")]
    [InlineData("x,y\n1,abc\n", "not a number")]
    public void Bad_files_give_one_line_errors(string text, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"td-cat-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        try
        {
            var e = Assert.Throws<MatchingException>(() => SourceCatalog.ReadCsv(path));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Non_finite_positions_are_rejected()
    {
        Assert.Throws<MatchingException>(() => new SourceCatalog([double.NaN], [1.0]));
    }
}
