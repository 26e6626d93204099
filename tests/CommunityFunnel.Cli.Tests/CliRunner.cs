using CommunityFunnel.Cli;

namespace CommunityFunnel.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(output, error));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Err);
