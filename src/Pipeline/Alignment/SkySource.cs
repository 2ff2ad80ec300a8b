namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>A source on the sky: an external reference catalog entry (TweakReg <c>refcat</c>).</summary>
/// <param name="Ra">Right ascension, degrees.</param>
/// <param name="Dec">Declination, degrees.</param>
/// <param name="Flux">Flux (any unit where brighter is larger; used only to rank sources).</param>
public readonly record struct SkySource(double Ra, double Dec, double Flux);
