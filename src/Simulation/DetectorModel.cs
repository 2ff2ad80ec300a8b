namespace TweakDrizzle.Simulation;

/// <summary>
/// A CCD camera: one or more chips stacked in y with a gap, a pixel scale with a little skew, a smooth
/// cubic field distortion shared by all chips, and the detector's noise and defect properties.
/// </summary>
/// <remarks>
/// Chip 1 (SCI,1, CCDCHIP = <see cref="ChipCount"/>) is the bottom chip, as for ACS/WFC whose SCI,1 is WFC2.
/// Each chip's TAN-SIP WCS is derived exactly from the focal-plane model: CRPIX at the chip centre, the
/// CD matrix from the local linear part and SIP A/B (order 3) from the rest.
/// </remarks>
public sealed record DetectorModel
{
    /// <summary>Instrument name (INSTRUME).</summary>
    public string Instrument { get; init; } = "ACS";

    /// <summary>Detector name (DETECTOR).</summary>
    public string DetectorName { get; init; } = "WFC";

    /// <summary>Chip width in pixels (NAXIS1).</summary>
    public int ChipWidth { get; init; } = 1024;

    /// <summary>Chip height in pixels (NAXIS2).</summary>
    public int ChipHeight { get; init; } = 512;

    /// <summary>Number of chips, stacked in y.</summary>
    public int ChipCount { get; init; } = 2;

    /// <summary>Gap between chips (pixels).</summary>
    public int GapPixels { get; init; } = 20;

    /// <summary>Mean pixel scale (arcsec per pixel).</summary>
    public double PixelScaleArcsec { get; init; } = 0.05;

    /// <summary>Ratio of the x to the y pixel scale (ACS/WFC's pixels are slightly rhomboidal).</summary>
    public double ScaleRatio { get; init; } = 0.996;

    /// <summary>Skew between the detector axes on the sky (degrees).</summary>
    public double SkewDegrees { get; init; } = 0.3;

    /// <summary>Size of the non-linear distortion at the detector corners (pixels).</summary>
    public double DistortionPixels { get; init; } = 4.0;

    /// <summary>Read noise (electrons rms).</summary>
    public double ReadNoise { get; init; } = 4.5;

    /// <summary>Gain (electrons per ADU), written to CCDGAIN; data are written in electrons.</summary>
    public double Gain { get; init; } = 2.0;

    /// <summary>Full-well depth (electrons): charge above it bleeds along the column and the pixels are flagged.</summary>
    public double FullWell { get; init; } = 84700;

    /// <summary>Fraction of pixels that are hot.</summary>
    public double HotPixelFraction { get; init; } = 0.001;

    /// <summary>Fraction of the hot pixels flagged in DQ (the rest are new since the last dark: only CR rejection finds them).</summary>
    public double HotPixelFlaggedFraction { get; init; } = 0.85;

    /// <summary>Bad columns per chip (flagged in DQ).</summary>
    public int BadColumnsPerChip { get; init; } = 2;

    /// <summary>Cosmic-ray events per cm² per second (ACS/WFC on orbit: about 1.2–2).</summary>
    public double CosmicRayRate { get; init; } = 1.5;

    /// <summary>Pixel pitch (micrometres), which sets the chip area seen by cosmic rays.</summary>
    public double PixelSizeMicrons { get; init; } = 15;

    /// <summary>Depletion depth over pixel pitch: the projected cosmic-ray track length is this times tan(incidence).</summary>
    public double ThicknessInPixels { get; init; } = 1.0;

    /// <summary>A fast default: two 1024x512 chips with a 20-pixel gap at 0.05"/pixel, a few pixels of distortion.</summary>
    public static DetectorModel Small { get; } = new();

    /// <summary>An ACS/WFC-like camera: two 4096x2048 chips with a 50-pixel gap at 0.05"/pixel, tens of pixels of distortion.</summary>
    public static DetectorModel AcsWfcLike { get; } = new()
    {
        ChipWidth = 4096,
        ChipHeight = 2048,
        GapPixels = 50,
        DistortionPixels = 30.0,
    };

    /// <summary>Total detector height including gaps (pixels).</summary>
    public int TotalHeight => (ChipCount * ChipHeight) + ((ChipCount - 1) * GapPixels);

    /// <summary>Radius of the circle around the detector centre that holds every chip (arcsec).</summary>
    public double FootprintRadiusArcsec =>
        0.5 * Math.Sqrt(((double)ChipWidth * ChipWidth) + ((double)TotalHeight * TotalHeight)) * PixelScaleArcsec * 1.05
        + (DistortionPixels * PixelScaleArcsec);

    /// <summary>Checks the parameters and throws <see cref="ArgumentException"/> on nonsense.</summary>
    public void Validate()
    {
        if (ChipWidth < 16 || ChipHeight < 16 || ChipCount < 1 || ChipCount > 8 || GapPixels < 0)
        {
            throw new ArgumentException("The detector needs 1 to 8 chips of at least 16x16 pixels and a non-negative gap.");
        }

        if (!(PixelScaleArcsec > 0) || !(ScaleRatio > 0) || !(ReadNoise >= 0) || !(FullWell > 0) || !(Gain > 0))
        {
            throw new ArgumentException("Pixel scale, scale ratio, full well and gain must be positive and the read noise non-negative.");
        }

        if (HotPixelFraction is < 0 or > 0.5 || HotPixelFlaggedFraction is < 0 or > 1 || BadColumnsPerChip < 0 || !(CosmicRayRate >= 0))
        {
            throw new ArgumentException("Defect fractions, bad columns and the cosmic-ray rate must be non-negative (fractions at most 1).");
        }
    }

    /// <summary>
    /// The chip's focal-plane polynomials: undistorted focal-plane position (pixels of mean size, relative to the
    /// detector centre) as cubic polynomials in (u, v), the chip pixel offsets from its centre.
    /// </summary>
    internal (Polynomial2 Fu, Polynomial2 Fv) FocalPlane(int chipIndex)
    {
        double cx = (ChipWidth - 1) / 2.0, cy = (ChipHeight - 1) / 2.0;
        double uc = (ChipWidth - 1) / 2.0, vc = (TotalHeight - 1) / 2.0;
        double rn = 0.5 * Math.Max(ChipWidth, TotalHeight);
        double vOrigin = chipIndex * (ChipHeight + GapPixels);

        // Detector coordinates relative to the centre, U = u + (cx - uc), V = v + (cy + vOrigin - vc).
        Polynomial2 uLin = Polynomial2.Affine(cx - uc, 1, 0);
        Polynomial2 vLin = Polynomial2.Affine(cy + vOrigin - vc, 0, 1);
        Polynomial2 s = Polynomial2.Affine((cx - uc) / rn, 1 / rn, 0);
        Polynomial2 t = Polynomial2.Affine((cy + vOrigin - vc) / rn, 0, 1 / rn);

        // A fixed cubic shape scaled to DistortionPixels at the corners (s, t = ±1).
        var du = new Polynomial2(3);
        du.C[2, 0] = 0.45;
        du.C[1, 1] = 0.20;
        du.C[0, 2] = -0.10;
        du.C[3, 0] = 0.12;
        du.C[1, 2] = -0.06;
        var dv = new Polynomial2(3);
        dv.C[2, 0] = 0.15;
        dv.C[1, 1] = 0.45;
        dv.C[0, 2] = 0.20;
        dv.C[2, 1] = -0.08;
        dv.C[0, 3] = 0.07;
        double k = DistortionPixels;
        Polynomial2 fu = uLin.Add(du.Substitute(s, t), k);
        Polynomial2 fv = vLin.Add(dv.Substitute(s, t), k);
        return (fu, fv);
    }

    /// <summary>The linear map from focal-plane pixels to focal-plane arcsec (scale, scale ratio and skew).</summary>
    internal (double S11, double S12, double S21, double S22) PlateScale()
    {
        double sx = PixelScaleArcsec * Math.Sqrt(ScaleRatio);
        double sy = PixelScaleArcsec / Math.Sqrt(ScaleRatio);
        double skew = SkewDegrees * Math.PI / 180;
        return (sx, sy * Math.Sin(skew), 0, sy * Math.Cos(skew));
    }
}
