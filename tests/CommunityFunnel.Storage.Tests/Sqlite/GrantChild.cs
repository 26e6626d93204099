using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Sqlite;

/// <summary>
/// The child process of the crash test: grants <c>count</c> rewards against one budget through the SQLite ledger
/// and prints <c>ack KEY</c> after each grant the ledger acknowledged (or <c>dup KEY</c> for one already there),
/// then <c>done</c>. The parent kills it with SIGKILL in the middle.
/// </summary>
internal static class GrantChild
{
    public static RewardLedgerEntry Grant(int i) => new()
    {
        Key = $"daily|m{i % 50}|{i}",
        RuleId = "daily",
        Member = $"m{i % 50}",
        EventId = $"e{i}",
        At = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
        Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 1 }],
        Counters = [new RewardCounter("budget|points", 1_000_000, 1, true)],
    };

    public static async Task<int> Run(string connectionString, int count)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores(connectionString);
        using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<IRewardLedger>();
        var output = Console.Out;
        for (var i = 0; i < count; i++)
        {
            var grant = Grant(i);
            var result = await ledger.TryAppendAsync(grant, CancellationToken.None);
            output.WriteLine(result == RewardAppendResult.Granted ? $"ack {grant.Key}" : $"dup {grant.Key}");
            output.Flush();
        }

        output.WriteLine("done");
        output.Flush();
        return 0;
    }
}
