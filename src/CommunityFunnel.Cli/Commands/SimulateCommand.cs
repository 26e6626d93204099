namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel simulate</c>: writes a synthetic event log.</summary>
internal sealed class SimulateCommand : ICliCommand
{
    public string Name => "simulate";

    public string Summary => "write a realistic synthetic event log (deterministic for a seed)";

    public string Usage => "Usage: community-funnel simulate --members N --days D --seed S [--out FILE]\n";

    public int Run(IReadOnlyList<string> args, CliContext context) =>
        throw new CliUsageException("not implemented yet");
}
