using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting.Tests;

/// <summary>With a grant handler registered, every grant the intake's events earn reaches it through the outbox, once per grant, also after a stop between the ledger and the outbox.</summary>
public sealed class GrantNoticeTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private sealed class Notices : IRewardGrantHandler
    {
        public List<(string Id, RewardGranted Notice)> Received { get; } = [];

        public Task HandleAsync(RewardGranted notice, string actionId, CancellationToken cancellationToken)
        {
            Received.Add((actionId, notice));
            return Task.CompletedTask;
        }
    }

    private static RewardRuleSet CheckinPoints() => new()
    {
        Rules =
        [
            new RewardRule
            {
                Id = "checkin-points",
                Trigger = new RewardTrigger { Kind = RewardTriggerKind.Checkin },
                Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 10 }],
                Limits = new RewardLimits { PerMemberPerDay = 1 },
            },
        ],
    };

    private static CommunityEvent Checkin(string id, string member, DateTimeOffset at) => new(id, EventType.Checkin, "g1", member, at, task: "daily");

    [Fact]
    public async Task EachGrant_IsEnqueuedWithTheEvent_AndDeliveredOnceToTheGrantHandler_WithItsLedgerKeyInTheId()
    {
        var notices = new Notices();
        var clock = new FakeTimeProvider(Day1);
        await using var rt = Runtime.Build(clock, outbox: true, builder: b => b.AddRewardRules(CheckinPoints()).AddRewardGrantHandler(notices));
        await rt.Intake.SubmitAsync(Checkin("c1", "m1", Day1));
        await rt.Intake.SubmitAsync(Checkin("c2", "m1", Day1.AddHours(1))); // the day's limit: no grant
        await rt.Intake.SubmitAsync(Checkin("c3", "m2", Day1.AddHours(2)));
        Assert.Equal(EventIntakeOutcome.Duplicate, (await rt.Intake.SubmitAsync(Checkin("c1", "m1", Day1))).Outcome);

        var ledger = (await rt.Provider.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None)).Where(e => e.Kind == RewardEntryKind.Grant).ToList();
        Assert.Equal(2, ledger.Count);
        var entries = await rt.OutboxEntriesAsync<RewardGranted>();
        Assert.Equal(ledger.Select(g => $"granted|{g.Key.Length}:{g.Key}"), entries.Select(e => e.Id));
        Assert.Equal(["m1", "m2"], entries.Select(e => ((RewardGranted)e.Action).Grant.Member));
        Assert.All(entries, e => Assert.Equal("g1", ((RewardGranted)e.Action).Group));

        await rt.Provider.GetRequiredService<OutboxDispatcher>().PollAsync(CancellationToken.None);
        Assert.Equal(entries.Select(e => e.Id), notices.Received.Select(r => r.Id));
        Assert.Equal(ledger.Select(g => g.Key), notices.Received.Select(r => r.Notice.Grant.Key));
        Assert.Equal(10, notices.Received[0].Notice.Grant.Rewards.Single().Quantity);
    }

    [Fact]
    public async Task AStopBetweenTheLedgerAndTheOutbox_LeavesTheEventToApplyAgain_WhichEnqueuesTheNoticeOnce_WithoutASecondGrant()
    {
        var notices = new Notices();
        var clock = new FakeTimeProvider(Day1);
        BreakableOutbox? breakable = null;
        await using var rt = Runtime.Build(clock, outbox: true, options: o => o.RecoveryDelay = TimeSpan.FromSeconds(30), builder: b =>
        {
            b.AddRewardRules(CheckinPoints()).AddRewardGrantHandler(notices);
            BreakableOutbox.Wrap(b, o => breakable = o);
        });
        _ = rt.Intake;
        breakable!.Down = true;
        await Assert.ThrowsAsync<IOException>(() => rt.Intake.SubmitAsync(Checkin("c1", "m1", Day1)));
        var ledger = rt.Provider.GetRequiredService<IRewardLedger>();
        Assert.Single(await ledger.GetEntriesAsync(CancellationToken.None)); // granted before the stop
        Assert.Empty(await rt.OutboxEntriesAsync<RewardGranted>());

        breakable.Down = false;
        clock.Advance(TimeSpan.FromMinutes(1)); // past the recovery delay
        await rt.Scheduler.TickAsync(CancellationToken.None);
        var entry = Assert.Single(await rt.OutboxEntriesAsync<RewardGranted>());
        Assert.Equal("m1", ((RewardGranted)entry.Action).Grant.Member);
        Assert.Single(await ledger.GetEntriesAsync(CancellationToken.None)); // not granted twice

        clock.Advance(TimeSpan.FromMinutes(1));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        await rt.Provider.GetRequiredService<OutboxDispatcher>().PollAsync(CancellationToken.None);
        Assert.Equal([entry.Id], notices.Received.Select(r => r.Id));
    }

    [Fact]
    public void AGrantHandler_WithTheOutboxOff_FailsTheStart_NamingBoth()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddRewardGrantHandler(new Notices()).AddHostedRuntime(o => o.Outbox.Enabled = false);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HostedRuntimeOptions>>().Value);

        Assert.Contains("Grant notices (AddRewardGrantHandler) go through the action outbox", e.Message, StringComparison.Ordinal);
        Assert.Contains("Outbox.Enabled", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAGrantHandler_NoNoticeIsWritten()
    {
        await using var rt = Runtime.Build(new FakeTimeProvider(Day1), outbox: true, builder: b => b.AddRewardRules(CheckinPoints()));
        await rt.Intake.SubmitAsync(Checkin("c1", "m1", Day1));
        Assert.Single(await rt.Provider.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None));
        Assert.Empty(await rt.OutboxEntriesAsync<RewardGranted>());
    }
}
