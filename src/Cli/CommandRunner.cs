namespace TweakDrizzle.Cli;

/// <summary>
/// Runs a command body and turns every failure into one line on standard error and a non-zero exit code,
/// so that a user never sees a stack trace (set <c>TWEAKDRIZZLE_DEBUG=1</c> to get one).
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for work that failed (bad input file, failed fit, ...).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a usage error (bad option value, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>Runs <paramref name="body"/>, mapping exceptions to <c>error: ...</c> lines and exit codes.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("error: " + OneLine(e.Message));
            return Usage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine("error: " + OneLine(e.Message));
            if (Environment.GetEnvironmentVariable("TWEAKDRIZZLE_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return Failure;
        }
    }

    /// <summary>Folds a multi-line message into one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A user's mistake on the command line: reported as <c>error: ...</c> with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
