namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel draw</c>: run and verify fair-draw/v1 lotteries, inclusion proofs, RFC 3797 selections.</summary>
internal sealed class DrawCommand : ICliCommand
{
    public string Name => "draw";

    public string Summary => "run and verify fair-draw/v1 lotteries, inclusion proofs, RFC 3797 selections";

    public string Usage => "Usage: community-funnel draw (not implemented yet)\n";

    public int Run(IReadOnlyList<string> args, CliContext context) =>
        throw new CliUsageException("not implemented yet");
}
