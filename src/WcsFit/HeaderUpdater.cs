using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Matching;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.WcsFit;

/// <summary>Options of a header update (TweakReg <c>updatehdr</c>, <c>wcsname</c>, <c>reusename</c>).</summary>
public sealed record HeaderUpdateOptions
{
    /// <summary>WCSNAME of the new primary WCS (TweakReg <c>wcsname</c>, default <c>TWEAK</c>).</summary>
    public string WcsName { get; init; } = "TWEAK";

    /// <summary>Allow a name that already exists in the header (TweakReg <c>reusename</c>); when the primary already
    /// has it, the primary is overwritten without archiving it again.</summary>
    public bool ReuseName { get; init; }
}

/// <summary>What the header records about the fit behind a new WCS.</summary>
/// <param name="NMatch">Sources used in the fit (NMATCH).</param>
/// <param name="RmsRaDegrees">RMS_RA in degrees (also CRDER1).</param>
/// <param name="RmsDecDegrees">RMS_DEC in degrees (also CRDER2).</param>
/// <param name="History">One line for a HISTORY card (at most 72 characters are kept per card; longer text is split).</param>
public sealed record FitRecord(int NMatch, double RmsRaDegrees, double RmsDecDegrees, string History)
{
    /// <summary>The record of a successful fit; RMS_RA/RMS_DEC from <see cref="WcsCorrection.SkyRms"/>.</summary>
    /// <param name="fit">The fit; must have succeeded.</param>
    /// <param name="referenceFrame">The reference tangent-plane WCS the fit was made in.</param>
    /// <param name="wcsName">The new WCSNAME, quoted in the HISTORY line.</param>
    /// <returns>The record.</returns>
    /// <exception cref="WcsFitException">The fit failed: a failed fit never updates a header.</exception>
    public static FitRecord FromFit(FitResult fit, FitsWcs referenceFrame, string wcsName)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Status != FitStatus.Success)
        {
            throw new WcsFitException($"the fit failed ({fit.Message}); headers are not updated");
        }

        (double ra, double dec) = WcsCorrection.SkyRms(fit, referenceFrame);
        string history = string.Create(CultureInfo.InvariantCulture,
            $"TweakDrizzle: WCS '{wcsName}' from a {fit.FitGeometry.ToName()} fit of {fit.NMatch} sources: XSH {fit.XSh:0.####} YSH {fit.YSh:0.####} ROT {fit.Rot:0.#######} SCALE {fit.Scale:0.########} XRMS {fit.XRms:0.####} YRMS {fit.YRms:0.####} px");
        return new FitRecord(fit.NMatch, ra, dec, history);
    }
}

/// <summary>
/// Writes a corrected WCS into FITS headers as TweakReg does: the previous primary WCS is archived under the next
/// free alternate key (A–Z) with its name, the new one becomes the primary with WCSNAME, and the fit is recorded
/// (FITNAME, NMATCH, RMS_DEC, RMS_RA, CRDER1/2, a HISTORY line).
/// </summary>
/// <remarks>
/// A name that already exists in a header is refused unless <see cref="HeaderUpdateOptions.ReuseName"/> is set, so
/// running the same update twice cannot stack archives. File updates check every header first and then rewrite the
/// file atomically: either all chips are updated or none. Thread-safe (no shared state).
/// </remarks>
public static class HeaderUpdater
{
    /// <summary>Name given to a primary WCS without WCSNAME before it is archived (TweakReg's choice).</summary>
    public const string UnnamedWcsName = "PRE-TWEAKREG";

    /// <summary>Updates one header in memory.</summary>
    /// <param name="header">A SCI header with a primary WCS; changed in place only when no check fails.</param>
    /// <param name="corrected">The corrected WCS (CRPIX and distortion as in the header).</param>
    /// <param name="record">The fit record.</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <returns>The alternate key the previous WCS was archived under, or null when it was overwritten (reusename).</returns>
    /// <exception cref="WcsFitException">The name exists and reuse was not asked for, no alternate key is free, or the name is invalid.</exception>
    public static char? Update(FitsHeader header, FitsWcs corrected, FitRecord record, HeaderUpdateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(corrected);
        ArgumentNullException.ThrowIfNull(record);
        options ??= new HeaderUpdateOptions();
        FitsHeader work = header.Clone();
        char? archived = UpdateCore(work, corrected, record, options);

        // Commit: replace the caller's cards by the updated ones.
        while (header.Count > 0)
        {
            header.RemoveAt(header.Count - 1);
        }

        foreach (FitsCard card in work)
        {
            header.Add(card);
        }

        return archived;
    }

    /// <summary>
    /// Updates several HDUs of one file atomically: all headers are checked and updated in memory first, then the
    /// file is rewritten through a temporary file and renamed; on any error the file is left as it was.
    /// </summary>
    /// <param name="path">An uncompressed FITS file.</param>
    /// <param name="chips">HDU index (0-based) and corrected WCS of every chip to update.</param>
    /// <param name="record">The fit record (one fit per exposure).</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <exception cref="WcsFitException">A check failed (nothing written).</exception>
    /// <exception cref="FitsException">The file cannot be read or written.</exception>
    public static void UpdateFile(string path, IReadOnlyList<(int Hdu, FitsWcs Wcs)> chips, FitRecord record, HeaderUpdateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(chips);
        ArgumentNullException.ThrowIfNull(record);
        options ??= new HeaderUpdateOptions();
        using FitsFile file = FitsFile.Open(path);
        var copies = file.Hdus.Select(FitsWriteHdu.Copy).ToList();
        foreach ((int hdu, FitsWcs wcs) in chips)
        {
            if (hdu < 0 || hdu >= copies.Count)
            {
                throw new WcsFitException($"'{path}' has no HDU {hdu}");
            }

            FitsHeader h = copies[hdu].Header;
            try
            {
                UpdateCore(h, wcs, record, options);
            }
            catch (WcsFitException e)
            {
                throw new WcsFitException($"'{path}' HDU {hdu}: {e.Message}", e);
            }
        }

        FitsWriter.Write(path, copies);
    }

    private static char? UpdateCore(FitsHeader h, FitsWcs corrected, FitRecord record, HeaderUpdateOptions o)
    {
        string name = o.WcsName.Trim();
        if (name.Length == 0 || name.Length > 68)
        {
            throw new WcsFitException("wcsname must have 1 to 68 characters");
        }

        char? existing = FitsWcs.FindByName(h, name);
        if (existing is not null && !o.ReuseName)
        {
            string where = existing == ' ' ? "the primary WCS" : $"alternate WCS '{existing}'";
            throw new WcsFitException($"WCSNAME '{name}' already exists ({where}); choose another wcsname or allow reusename");
        }

        char? archivedKey = null;
        if (!(o.ReuseName && existing == ' '))
        {
            FitsWcs old;
            try
            {
                old = FitsWcs.FromHeader(h);
            }
            catch (WcsException e)
            {
                throw new WcsFitException($"the header's current WCS cannot be read: {e.Message}", e);
            }

            string oldName = string.IsNullOrWhiteSpace(old.Name) ? UnnamedWcsName : old.Name.Trim();
            string archiveName = oldName;
            for (int k = 1; FitsWcs.FindByName(h, archiveName) is char c && c != ' '; k++)
            {
                archiveName = string.Create(CultureInfo.InvariantCulture, $"{oldName}-{k}");
            }

            char key = FitsWcs.NextFreeAlternateKey(h);
            if (key is < 'A' or > 'Z')
            {
                throw new WcsFitException("no free alternate WCS key (A-Z) is left to archive the current WCS");
            }

            try
            {
                old.WithName(archiveName).WriteTo(h, key);
            }
            catch (WcsException e)
            {
                throw new WcsFitException($"cannot archive the current WCS under key '{key}': {e.Message}", e);
            }

            archivedKey = key;
        }

        try
        {
            corrected.WithName(name).WriteTo(h);
        }
        catch (WcsException e)
        {
            throw new WcsFitException($"cannot write the corrected WCS: {e.Message}", e);
        }

        h.Set("FITNAME", name, "name of the fit that gave this WCS");
        h.Remove("NMATCH");
        h.Remove("RMS_RA");
        h.Remove("RMS_DEC");
        h.InsertAfter("FITNAME", "RMS_RA", record.RmsRaDegrees, "RMS in RA of the fit (deg, no cos dec)");
        h.InsertAfter("FITNAME", "RMS_DEC", record.RmsDecDegrees, "RMS in Dec of the fit (deg)");
        h.InsertAfter("FITNAME", "NMATCH", (long)record.NMatch, "number of sources used in the fit");
        h.Set("CRDER1", record.RmsRaDegrees, "random error in axis 1 (deg)");
        h.Set("CRDER2", record.RmsDecDegrees, "random error in axis 2 (deg)");
        string text = record.History;
        for (int start = 0; start < text.Length; start += 72)
        {
            h.AddCommentary("HISTORY", text.Substring(start, Math.Min(72, text.Length - start)));
        }

        return archivedKey;
    }
}
