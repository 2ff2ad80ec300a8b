namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Expands the input list of a run: <c>@list</c> files, wildcards and comma-separated names, as AstroDrizzle accepts them.</summary>
public static class InputFiles
{
    /// <summary>Expands the inputs in order; each wildcard expands to its matches sorted by name.</summary>
    /// <param name="inputs">File names, <c>@file</c> lists (one name per line, first column; # comments) or wildcards (* and ? in the file name).</param>
    /// <returns>Full paths, duplicates removed (first occurrence kept).</returns>
    /// <exception cref="CombineException">A list file or file is missing, or a wildcard matches nothing.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in inputs.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            foreach (string f in ExpandOne(raw))
            {
                if (seen.Add(f))
                {
                    result.Add(f);
                }
            }
        }

        return result;
    }

    private static IEnumerable<string> ExpandOne(string item)
    {
        if (item.StartsWith('@'))
        {
            string list = item[1..];
            if (!File.Exists(list))
            {
                throw new CombineException($"input list {list} does not exist");
            }

            string dir = Path.GetDirectoryName(Path.GetFullPath(list)) ?? ".";
            var names = new List<string>();
            foreach (string line in File.ReadLines(list))
            {
                string t = line.Trim();
                if (t.Length == 0 || t.StartsWith('#'))
                {
                    continue;
                }

                string first = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
                names.Add(Path.IsPathRooted(first) ? first : Path.Combine(dir, first));
            }

            return names.SelectMany(ExpandOne);
        }

        string name = Path.GetFileName(item);
        if (name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal))
        {
            string folder = Path.GetDirectoryName(item) is { Length: > 0 } d ? d : ".";
            string[] matches = Directory.Exists(folder)
                ? Directory.GetFiles(folder, name).Select(Path.GetFullPath).OrderBy(s => s, StringComparer.Ordinal).ToArray()
                : [];
            if (matches.Length == 0)
            {
                throw new CombineException($"no file matches {item}");
            }

            return matches;
        }

        if (!File.Exists(item))
        {
            throw new CombineException($"input file {item} does not exist");
        }

        return [Path.GetFullPath(item)];
    }
}
