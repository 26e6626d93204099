namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel lifecycle</c>: replay member lifecycle policies over an event log; draw the state graph.</summary>
internal sealed class LifecycleCommand : ICliCommand
{
    public string Name => "lifecycle";

    public string Summary => "replay member lifecycle policies over an event log; draw the state graph";

    public string Usage => "Usage: community-funnel lifecycle (not implemented yet)\n";

    public int Run(IReadOnlyList<string> args, CliContext context) =>
        throw new CliUsageException("not implemented yet");
}
