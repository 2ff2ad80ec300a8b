using System.Globalization;
using System.Text;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Simulation;

/// <summary>Options for <see cref="DataSetWriter"/>.</summary>
public sealed record DataSetWriteOptions
{
    /// <summary>Write <c>truth/&lt;root&gt;_crmask.fits</c> (per chip a uint8 CRMASK extension, 1 = cosmic ray, and a float32 CRCHARGE extension, the charge in electrons).</summary>
    public bool CosmicRayMasks { get; init; } = true;

    /// <summary>Write <c>truth/&lt;root&gt;_sources.csv</c> (every truth source's 0-based position on each chip).</summary>
    public bool SourceLists { get; init; } = true;

    /// <summary>
    /// Also write each chip's true WCS into its SCI/ERR/DQ headers as this alternate WCS key (WCSNAMEa = 'TRUTH';
    /// header and true WCS share the SIP terms), or null (the default) to keep the truth out of the input files.
    /// </summary>
    public char? TrueWcsKey { get; init; }

    /// <summary>Called with each file name as it is written (for progress display), or null.</summary>
    public IProgress<string>? Progress { get; init; }
}

/// <summary>A data set written to a folder.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Files">Full paths of the exposure files, in order.</param>
/// <param name="Truth">The truth (also written to <c>truth/</c>).</param>
public sealed record SimulatedDataSet(string Folder, IReadOnlyList<string> Files, SimulationTruth Truth);

/// <summary>
/// Writes simulated exposures as HST-style multi-extension FITS files (<c>&lt;rootname&gt;_flc.fits</c>): an empty
/// primary HDU with the exposure keywords, then SCI (float32), ERR (float32) and DQ (int16) per chip with
/// EXTVER = chip, each with the chip's TAN-SIP header WCS. Every file is written atomically.
/// </summary>
public static class DataSetWriter
{
    /// <summary>The HST file suffix the simulator writes.</summary>
    public const string FileSuffix = "_flc.fits";

    /// <summary>
    /// Simulates and writes every exposure of <paramref name="simulator"/> into <paramref name="folder"/>, one exposure
    /// in memory at a time, then the truth (<c>truth/truth.json</c>, <c>truth/catalog.csv</c>, per exposure
    /// <c>truth/&lt;root&gt;_sources.csv</c> and <c>truth/&lt;root&gt;_crmask.fits</c>).
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="folder">The output folder (created if needed; existing files of the same names are replaced).</param>
    /// <param name="options">Options, or null.</param>
    /// <returns>The written data set.</returns>
    public static SimulatedDataSet Write(Simulator simulator, string folder, DataSetWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new DataSetWriteOptions();
        Directory.CreateDirectory(folder);
        string truthFolder = Path.Combine(folder, SimulationTruth.FolderName);
        Directory.CreateDirectory(truthFolder);
        var files = new List<string>();
        var exposures = new List<ExposureTruth>();
        for (int k = 0; k < simulator.Exposures.Count; k++)
        {
            SimulatedExposure e = simulator.Simulate(k);
            string name = e.Geometry.Rootname + FileSuffix;
            string path = Path.Combine(folder, name);
            WriteExposure(e, path, simulator.Options, options.TrueWcsKey);
            files.Add(Path.GetFullPath(path));
            options.Progress?.Report(name);
            if (options.SourceLists)
            {
                SimulationTruth.AtomicWrite(Path.Combine(truthFolder, e.Geometry.Rootname + "_sources.csv"), Encoding.UTF8.GetBytes(SourceList(e)));
            }

            if (options.CosmicRayMasks)
            {
                WriteCosmicRayMask(e, Path.Combine(truthFolder, e.Geometry.Rootname + "_crmask.fits"));
            }

            exposures.Add(new ExposureTruth(
                e.Geometry.Rootname,
                name,
                e.Geometry.Visit.Name,
                e.Geometry.Filter.Name,
                e.Geometry.ExposureTime,
                e.Geometry.Dither.PostArg1,
                e.Geometry.Dither.PostArg2,
                e.Geometry.NominalPointing,
                e.Geometry.TruePointing,
                e.Chips.Select(c => new ChipTruth(c.ExtVer, c.HeaderWcs, c.TrueWcs, c.Sources.Count, c.CosmicRayEvents, c.CosmicRayPixels, c.SaturatedPixels, c.HotPixels)).ToList()));
        }

        var truth = new SimulationTruth
        {
            Seed = simulator.Options.Seed,
            Units = simulator.Options.Units,
            PixelScaleArcsec = simulator.Options.Detector.PixelScaleArcsec,
            Filters = simulator.Visits.Select(v => v.Filter).DistinctBy(f => f.Name).Select(FilterTruth.From).ToList(),
            Sources = simulator.Sky.Sources,
            Exposures = exposures,
        };
        truth.Write(truthFolder);
        options.Progress?.Report(Path.Combine(SimulationTruth.FolderName, SimulationTruth.JsonName));
        return new SimulatedDataSet(Path.GetFullPath(folder), files, truth);
    }

    /// <summary>Writes one simulated exposure as an HST-style multi-extension FITS file.</summary>
    /// <param name="exposure">The exposure.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="options">The options it was simulated with (for detector keywords).</param>
    /// <param name="trueWcsKey">Alternate WCS key for the true WCS, or null to leave it out.</param>
    public static void WriteExposure(SimulatedExposure exposure, string path, SimulationOptions options, char? trueWcsKey = null)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var hdus = new List<FitsWriteHdu> { FitsWriteHdu.Empty(PrimaryHeader(exposure, options, Path.GetFileName(path))) };
        string bunit = exposure.Units == OutputUnits.Electrons ? "ELECTRONS" : "ELECTRONS/S";
        foreach (SimulatedChip chip in exposure.Chips)
        {
            int[] shape = [chip.Width, chip.Height];
            hdus.Add(FitsWriteHdu.Image(chip.Sci, shape, ExtensionHeader(chip, exposure, bunit, "science data", trueWcsKey)).Named("SCI", chip.ExtVer));
            hdus.Add(FitsWriteHdu.Image(chip.Err, shape, ExtensionHeader(chip, exposure, bunit, "error (1 sigma)", trueWcsKey)).Named("ERR", chip.ExtVer));
            hdus.Add(FitsWriteHdu.Image(chip.Dq, shape, ExtensionHeader(chip, exposure, "UNITLESS", "data quality flags", trueWcsKey)).Named("DQ", chip.ExtVer));
        }

        FitsWriter.Write(path, hdus);
    }

    /// <summary>The primary header of an exposure: HST-like observation keywords and the simulation parameters.</summary>
    /// <param name="exposure">The exposure.</param>
    /// <param name="options">The simulation options.</param>
    /// <param name="fileName">The file name (FILENAME).</param>
    /// <returns>The header (no structural keywords).</returns>
    public static FitsHeader PrimaryHeader(SimulatedExposure exposure, SimulationOptions options, string fileName)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(options);
        ExposureGeometry g = exposure.Geometry;
        DetectorModel det = options.Detector;
        double mjdStart = 52377.0 + g.VisitIndex + ((g.Index - FirstIndexOfVisit(g)) * (g.ExposureTime + 120.0) / 86400.0);
        DateTime start = new DateTime(1858, 11, 17, 0, 0, 0, DateTimeKind.Utc).AddDays(mjdStart);
        var h = new FitsHeader();
        h.Set("ORIGIN", "TweakDrizzle", "simulated data");
        h.Set("DATE", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "date this file was written (simulated)");
        h.Set("NEXTEND", 3 * exposure.Chips.Count, "number of standard extensions");
        h.Set("FILENAME", fileName, "name of file");
        h.Set("FILETYPE", "SCI", "type of data found in data file");
        h.Set("TELESCOP", "HST", "telescope used to acquire data (simulated)");
        h.Set("INSTRUME", det.Instrument, "identifier for instrument used to acquire data");
        h.Set("DETECTOR", det.DetectorName, "detector in use");
        h.Set("ROOTNAME", g.Rootname, "rootname of the observation set");
        h.Set("IMAGETYP", "EXT", "type of exposure identifier");
        h.Set("PRIMESI", det.Instrument, "instrument designated as prime");
        h.Set("TARGNAME", "SIMULATED-CLUSTER", "proposer's target name");
        h.Set("RA_TARG", options.Sky?.CenterRa ?? new SkyModelOptions().CenterRa, "right ascension of the target (deg) (J2000)");
        h.Set("DEC_TARG", options.Sky?.CenterDec ?? new SkyModelOptions().CenterDec, "declination of the target (deg) (J2000)");
        h.Set("PROPOSID", 9815, "PEP proposal identifier (simulated)");
        h.Set("LINENUM", g.Visit.Name.Length >= 6 ? g.Visit.Name[4..6] + ".001" : "01.001", "proposal logsheet line number");
        h.Set("PA_V3", g.NominalPointing.OrientationDeg, "position angle of the detector y axis (deg)");
        h.Set("POSTARG1", g.Dither.PostArg1, "POS TARG for axis 1 (arcsec)");
        h.Set("POSTARG2", g.Dither.PostArg2, "POS TARG for axis 2 (arcsec)");
        h.Set("DATE-OBS", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "UT date of start of observation (yyyy-mm-dd)");
        h.Set("TIME-OBS", start.ToString("HH:mm:ss", CultureInfo.InvariantCulture), "UT time of start of observation (hh:mm:ss)");
        h.Set("EXPSTART", mjdStart, "exposure start time (Modified Julian Date)");
        h.Set("EXPEND", mjdStart + (g.ExposureTime / 86400.0), "exposure end time (Modified Julian Date)");
        h.Set("EXPTIME", g.ExposureTime, "exposure duration (seconds)--calculated");
        h.Set("TEXPTIME", g.ExposureTime, "total exposure time (seconds)");
        h.Set("FILTER1", g.Filter.Name, "element selected from filter wheel 1");
        h.Set("FILTER2", "CLEAR2L", "element selected from filter wheel 2");
        h.Set("FILTER", g.Filter.Name, "filter (simulated data convenience keyword)");
        h.Set("OBSTYPE", "IMAGING", "observation type - imaging or spectroscopic");
        h.Set("CCDGAIN", det.Gain, "commanded gain of CCD (e-/ADU)");
        h.Set("READNSE", det.ReadNoise, "read noise (electrons)");
        h.Set("SATURATE", det.FullWell, "full-well saturation level (electrons)");
        h.Set("BUNIT", exposure.Units == OutputUnits.Electrons ? "ELECTRONS" : "ELECTRONS/S", "units of the SCI and ERR extensions");
        h.Set("SIMULATD", true, "simulated by TweakDrizzle.Simulation");
        h.Set("SIMSEED", options.Seed.ToString(CultureInfo.InvariantCulture), "simulation seed");
        h.Set("SIMVISIT", g.Visit.Name, "simulated visit");
        h.Set("SIMPSF", g.Filter.Psf.Fwhm, "simulated PSF FWHM (pixels)");
        h.Set("SIMSKY", g.Filter.SkyRate * g.ExposureTime, "simulated sky level (electrons per pixel)");
        h.Set("DRIZCORR", "COMPLETE", "drizzle processing (simulated)");
        return h;
    }

    private static int FirstIndexOfVisit(ExposureGeometry g) => g.Index - g.Visit.Exposures.ToList().FindIndex(d => d.Rootname == g.Rootname);

    private static FitsHeader ExtensionHeader(SimulatedChip chip, SimulatedExposure exposure, string bunit, string what, char? trueWcsKey)
    {
        var h = new FitsHeader();
        h.Set("INHERIT", true, "inherit the primary header");
        h.Set("EXPNAME", exposure.Geometry.Rootname, "exposure identifier");
        h.Set("BUNIT", bunit, "brightness units");
        h.Set("CCDCHIP", chip.CcdChip, "CCD chip (1 or 2)");
        h.Set("LTV1", 0.0, "offset in X to subsection start");
        h.Set("LTV2", 0.0, "offset in Y to subsection start");
        h.Set("LTM1_1", 1.0, "reciprocal of sampling rate in X");
        h.Set("LTM2_2", 1.0, "reciprocal of sampling rate in Y");
        h.Set("ORIENTAT", Orientat(chip.HeaderWcs), "position angle of image y axis (deg. e of n)");
        foreach (WcsCard c in chip.HeaderWcs.ToHeaderCards("IDC_SIMULATED"))
        {
            h.Set(c.Key, c.Value, c.Comment);
        }

        if (trueWcsKey is char key)
        {
            foreach (WcsCard c in chip.TrueWcs.ToHeaderCards("TRUTH", key))
            {
                h.Set(c.Key, c.Value, c.Comment);
            }
        }

        h.AddCommentary("COMMENT", what);
        return h;
    }

    private static double Orientat(TanSipModel w) => Math.Atan2(w.Cd12, w.Cd22) * 180 / Math.PI;

    private static string SourceList(SimulatedExposure e)
    {
        var sb = new StringBuilder("extver,id,kind,x,y,electrons,saturated\n");
        foreach (SimulatedChip c in e.Chips)
        {
            foreach (RenderedSource s in c.Sources)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{c.ExtVer},{s.Id},{s.Kind.ToString().ToLowerInvariant()},{s.X:R},{s.Y:R},{s.Electrons:R},{(s.Saturated ? 1 : 0)}\n");
            }
        }

        return sb.ToString();
    }

    private static void WriteCosmicRayMask(SimulatedExposure e, string path)
    {
        var h0 = new FitsHeader();
        h0.Set("ROOTNAME", e.Geometry.Rootname, "exposure the mask belongs to");
        h0.AddCommentary("COMMENT", "Truth: 1 where at least 1 electron of cosmic-ray charge was added.");
        h0.AddCommentary("COMMENT", "CRCHARGE extensions: the cosmic-ray charge added to each pixel, electrons.");
        var hdus = new List<FitsWriteHdu> { FitsWriteHdu.Empty(h0) };
        foreach (SimulatedChip c in e.Chips)
        {
            hdus.Add(FitsWriteHdu.Image(c.CosmicRayMask, [c.Width, c.Height]).Named("CRMASK", c.ExtVer));
        }

        foreach (SimulatedChip c in e.Chips)
        {
            var h = new FitsHeader();
            h.Set("BUNIT", "ELECTRONS", "cosmic-ray charge added to the pixel");
            hdus.Add(FitsWriteHdu.Image(c.CosmicRayCharge, [c.Width, c.Height], h).Named("CRCHARGE", c.ExtVer));
        }

        FitsWriter.Write(path, hdus);
    }
}
