namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel rewards</c>: replay reward rules over an event log: grants, budgets, tickets per draw.</summary>
internal sealed class RewardsCommand : ICliCommand
{
    public string Name => "rewards";

    public string Summary => "replay reward rules over an event log: grants, budgets, tickets per draw";

    public string Usage => "Usage: community-funnel rewards (not implemented yet)\n";

    public int Run(IReadOnlyList<string> args, CliContext context) =>
        throw new CliUsageException("not implemented yet");
}
