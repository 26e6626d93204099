namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel activation</c>: compute the 24-hour activation rate of an event log.</summary>
internal sealed class ActivationCommand : ICliCommand
{
    public string Name => "activation";

    public string Summary => "compute the 24-hour activation rate of an event log";

    public string Usage => "Usage: community-funnel activation (not implemented yet)\n";

    public int Run(IReadOnlyList<string> args, CliContext context) =>
        throw new CliUsageException("not implemented yet");
}
