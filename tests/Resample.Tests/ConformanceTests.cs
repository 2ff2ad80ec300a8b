namespace TweakDrizzle.Resample.Tests;

public class ConformanceTests
{
    public static TheoryData<string> ResampleCases() => [.. Conformance.Cases("resample")];

    public static TheoryData<string> BlotCases() => [.. Conformance.Cases("blot")];

    [Theory]
    [MemberData(nameof(ResampleCases))]
    public void Resample_case_matches_reference(string name)
    {
        string dir = Conformance.FixtureDir(name);
        Drizzle d = Conformance.RunResample(dir);
        List<string> errs = Conformance.CompareResample(dir, d);
        Assert.True(errs.Count == 0, name + ": " + string.Join("; ", errs));
    }

    [Theory]
    [MemberData(nameof(BlotCases))]
    public void Blot_case_matches_reference(string name)
    {
        (_, List<string> errs) = Conformance.RunAndCompareBlot(Conformance.FixtureDir(name));
        Assert.True(errs.Count == 0, name + ": " + string.Join("; ", errs));
    }
}
