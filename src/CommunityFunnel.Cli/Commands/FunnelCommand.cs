namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel funnel</c>: the funnel report (attracted, joined, activated, converted) with an optional HTML report.</summary>
internal sealed class FunnelCommand : ICliCommand
{
    public string Name => "funnel";

    public string Summary => "the funnel report (attracted, joined, activated, converted) with an optional HTML report";

    public string Usage => "Usage: community-funnel funnel (not implemented yet)\n";

    public int Run(IReadOnlyList<string> args, CliContext context) =>
        throw new CliUsageException("not implemented yet");
}
