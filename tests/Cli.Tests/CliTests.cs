namespace TweakDrizzle.Cli.Tests;

/// <summary>Runs the command tree in-process and captures what it prints.</summary>
internal static class CliHarness
{
    private static readonly Lock ConsoleLock = new();

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        lock (ConsoleLock)
        {
            TextWriter oldOut = Console.Out, oldErr = Console.Error;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                int code = Program.Main(args);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}

public class CliTests
{
    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        (int code, _, string err) = CliHarness.Run("no-such-command");
        Assert.NotEqual(0, code);
        Assert.Contains("no-such-command", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_demo()
    {
        (int code, string output, _) = CliHarness.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("demo", output, StringComparison.Ordinal);
    }
}
