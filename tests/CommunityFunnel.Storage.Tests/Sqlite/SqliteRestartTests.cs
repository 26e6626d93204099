using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Sqlite;

/// <summary>A host restarted on the same SQLite file continues where it stopped (what the demo's --store shows).</summary>
public sealed class SqliteRestartTests : IDisposable
{
    private readonly string _path = SqliteFiles.NewPath();

    public void Dispose() => SqliteFiles.Delete(_path);

    [Fact]
    public async Task ASecondRunOverTheSameEvents_ChangesNothing_EmitsNothing_AndGrantsNothingTwice()
    {
        var events = CommunitySimulator.Generate(new SimulationOptions { Members = 60, Days = 7, Seed = 5 }).ToList();
        var first = await Run(events, stopAfter: events.Count / 2);
        Assert.True(first.Actions > 0 && first.Grants > 0);

        // Restarted after a stop half-way: the first half is already there, the second half is new.
        var second = await Run(events, stopAfter: events.Count);
        Assert.Equal(0, second.AlreadyGrantedBeforeHalf - first.Grants);
        Assert.True(second.Grants > 0);

        // Restarted again over everything: nothing left to do.
        var third = await Run(events, stopAfter: events.Count);
        Assert.Equal((0, 0, 0L), (third.Transitions, third.Actions, third.Grants));
        Assert.Equal(first.Grants + second.Grants, third.AlreadyGranted);
        Assert.Equal(third.LedgerBefore, third.LedgerAfter);
    }

    private async Task<(int Transitions, int Actions, long Grants, long AlreadyGranted, long AlreadyGrantedBeforeHalf, int LedgerBefore, int LedgerAfter)> Run(List<CommunityEvent> events, int stopAfter)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores($"Data Source={_path}").AddRewardRules(RewardPresets.SeedArticle());
        using var provider = services.BuildServiceProvider();
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        var engine = provider.GetRequiredService<IRewardEngine>();
        var ledger = provider.GetRequiredService<IRewardLedger>();
        var before = (await ledger.GetEntriesAsync(CancellationToken.None)).Count;
        int transitions = 0, actions = 0;
        long alreadyBeforeHalf = 0;
        for (var i = 0; i < stopAfter; i++)
        {
            actions += (await lifecycle.AdvanceToAsync(events[i].At)).Count;
            var result = await lifecycle.ApplyAsync(events[i]);
            transitions += result.Transitions.Count;
            actions += result.Actions.Count;
            await engine.ProcessAsync(events[i]);
            if (i == (events.Count / 2) - 1)
            {
                alreadyBeforeHalf = engine.Statistics.AlreadyGranted;
            }
        }

        return (transitions, actions, engine.Statistics.Grants, engine.Statistics.AlreadyGranted, alreadyBeforeHalf, before, (await ledger.GetEntriesAsync(CancellationToken.None)).Count);
    }
}
