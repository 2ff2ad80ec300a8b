using System.Reflection;

namespace TweakDrizzle.Cli.Tests;

/// <summary>
/// Enforces the module boundaries of DESIGN.md: every assembly may reference only the modules below it,
/// so nothing points back up (Cli → Pipeline → engines → Wcs → Fits).
/// </summary>
public class ArchitectureTests
{
    /// <summary>For each module, the project modules it is allowed to reference.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Fits"] = [],
        ["Wcs"] = ["Fits"],
        ["SourceFinder"] = ["Fits", "Wcs"],
        ["Matching"] = ["Fits", "Wcs"],
        ["WcsFit"] = ["Fits", "Wcs", "Matching"],
        ["Resample"] = ["Fits", "Wcs"],
        ["Diagnostics"] = ["Fits", "Wcs", "SourceFinder", "Matching", "WcsFit", "Resample"],
        ["Simulation"] = ["Fits", "Wcs"],
        ["Pipeline"] = ["Fits", "Wcs", "SourceFinder", "Matching", "WcsFit", "Resample", "Diagnostics"],
    };

    public static TheoryData<string> Modules() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Modules))]
    public void Module_references_only_modules_below_it(string module)
    {
        Assembly assembly = Assembly.Load("TweakDrizzle." + module);
        string[] referenced = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("TweakDrizzle.", StringComparison.Ordinal))
            .Select(n => n["TweakDrizzle.".Length..])
            .ToArray();
        string[] forbidden = referenced.Except(Allowed[module]).ToArray();
        Assert.True(forbidden.Length == 0, $"{module} must not reference {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void Every_module_is_listed()
    {
        string[] shipped = Directory.GetFiles(AppContext.BaseDirectory, "TweakDrizzle.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(n => n!["TweakDrizzle.".Length..])
            .Where(n => !n.EndsWith(".Tests", StringComparison.Ordinal) && n != "Cli")
            .ToArray();
        Assert.Empty(shipped.Except(Allowed.Keys));
    }
}
