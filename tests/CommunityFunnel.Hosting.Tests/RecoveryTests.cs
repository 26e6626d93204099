using CommunityFunnel.Events;
using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

/// <summary>An event stored but not applied (its instance stopped in between) is applied by the scheduler after the recovery delay, once.</summary>
public sealed class RecoveryTests
{
    /// <summary>A member store whose saves fail while <see cref="Down"/> is set: the instance "crashes" after the append.</summary>
    private sealed class FailingSaves(IMemberStore inner) : IMemberStore
    {
        public bool Down { get; set; }

        public Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken) => inner.FindAsync(group, member, cancellationToken);

        public Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken) => inner.ListGroupAsync(group, cancellationToken);

        public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken) =>
            Down ? throw new InvalidOperationException("the database went away") : inner.SaveAsync(record, expectedVersion, transitions, cancellationToken);

        public Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken) =>
            inner.GetAuditTrailAsync(group, member, cancellationToken);
    }

    [Fact]
    public async Task AnEventStoredButNotApplied_IsAppliedByTheSchedulerAfterTheRecoveryDelay_Once_AndItsResubmissionStaysADuplicate()
    {
        var failing = new FailingSaves(new MemberStoreHolder().Create());
        await using var rt = Build(services: s => s.AddSingleton<IMemberStore>(failing), options: o => o.RecoveryDelay = TimeSpan.FromSeconds(30));
        await rt.Intake.SubmitAsync(Joined("e0", "m0", T0));

        failing.Down = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => rt.Intake.SubmitAsync(Joined("e1", "m1", T0.AddMinutes(1))));
        failing.Down = false;
        Assert.Equal(EventIntakeOutcome.Duplicate, (await rt.Intake.SubmitAsync(Joined("e1", "m1", T0.AddMinutes(1)))).Outcome); // stored already
        Assert.Null(await rt.Lifecycle.FindAsync("g1", "m1"));

        // Not before the delay: a live instance may still be applying it.
        rt.Clock.Advance(TimeSpan.FromSeconds(29));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Null(await rt.Lifecycle.FindAsync("g1", "m1"));

        rt.Clock.Advance(TimeSpan.FromSeconds(2));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        var record = await rt.Lifecycle.FindAsync("g1", "m1");
        Assert.Equal((MemberState.Onboarding, 1L), (record!.State, record.Version));
        Assert.Single(rt.Handler.Actions, a => a.Member == "m1" && a.Kind == MemberActionKind.Welcome);
        var recovered = Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17013);
        Assert.Equal((LogLevel.Warning, "e1"), (recovered.Level, recovered.Fields["EventId"]));

        // Once: the mark is cleared, later ticks apply nothing again.
        rt.Clock.Advance(TimeSpan.FromMinutes(5));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(1L, (await rt.Lifecycle.FindAsync("g1", "m1"))!.Version);
        Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17013);
        Assert.Empty(await rt.Log.ListUnappliedAsync(rt.Clock.GetUtcNow().AddDays(1), 10, CancellationToken.None));
    }

    [Fact]
    public async Task EventsLeftByAnInstanceThatDied_AreAppliedInEventTimeOrder_AndApplyingOneTwiceChangesNothing()
    {
        await using var rt = Build(options: o => o.RecoveryDelay = TimeSpan.FromSeconds(1));
        var log = rt.Log;

        // Another instance stored three events of m1 (out of time order) and died before applying them.
        foreach (var e in new[] { Message("e2", "m1", T0.AddMinutes(2)), Joined("e1", "m1", T0), Message("e3", "m1", T0.AddMinutes(3)) })
        {
            Assert.True(await log.TryAppendAsync(e, T0, CancellationToken.None));
        }

        // One of them had been applied by hand already (its mark not cleared): applying it again is harmless.
        await rt.Lifecycle.ApplyAsync(Joined("e1", "m1", T0));
        rt.Clock.Advance(TimeSpan.FromSeconds(2));
        await rt.Scheduler.TickAsync(CancellationToken.None);

        var record = (await rt.Lifecycle.FindAsync("g1", "m1"))!;
        Assert.Equal(3L, record.Version); // join, then two messages: one save each
        Assert.Equal(T0.AddMinutes(3), record.LastActivityAt);
        Assert.Equal(["e1", "e2", "e3"], rt.Logs.Entries.Where(e => e.EventId.Id == 17013).Select(e => (string)e.Fields["EventId"]!));
        Assert.Single(rt.Handler.Actions, a => a.Kind == MemberActionKind.Welcome);
    }

    [Fact]
    public async Task AMembersEventAppendedByAnotherInstanceAMomentBefore_IsAppliedFirst_SoTheJoinStillWelcomes()
    {
        await using var rt = Build();

        // Instance A stored m1's join and is about to apply it; instance B (this intake) takes m1's first message now.
        Assert.True(await rt.Log.TryAppendAsync(Joined("join", "m1", T0), T0, CancellationToken.None));
        var result = await rt.Intake.SubmitAsync(Message("msg", "m1", T0.AddMinutes(1)));

        Assert.Equal(EventIntakeOutcome.Applied, result.Outcome);
        var welcome = Assert.Single(rt.Handler.Actions);
        Assert.Equal((MemberActionKind.Welcome, "m1"), (welcome.Kind, welcome.Member)); // the join was applied first
        var record = (await rt.Lifecycle.FindAsync("g1", "m1"))!;
        Assert.Equal((false, T0, 2L), (record.JoinedBeforeTracking, record.JoinedAt, record.Version));

        // The join's mark is its owner's to clear (B applied it for the order only); A now applies it too: nothing
        // changes, no second welcome; then A clears the mark.
        Assert.Equal(["join"], (await rt.Log.ListUnappliedAsync("g1", "m1", CancellationToken.None)).Select(e => e.Id));
        var again = await rt.Lifecycle.ApplyAsync(Joined("join", "m1", T0));
        Assert.Empty(again.Actions);
        Assert.Single(rt.Handler.Actions);
        Assert.Equal((record.State, T0), (again.Member!.State, again.Member.JoinedAt));
        await rt.Log.MarkAppliedAsync("join", CancellationToken.None);
        Assert.Empty(await rt.Log.ListUnappliedAsync("g1", "m1", CancellationToken.None));
    }

    [Fact]
    public async Task WithoutTheDrain_TheMessageFirst_WouldLoseTheWelcome()
    {
        // The reference the test above guards against: the same two events applied message first.
        await using var rt = Build();
        await rt.Lifecycle.ApplyAsync(Message("msg", "m1", T0.AddMinutes(1)));
        await rt.Lifecycle.ApplyAsync(Joined("join", "m1", T0));
        Assert.DoesNotContain(rt.Handler.Actions, a => a.Kind == MemberActionKind.Welcome);
        Assert.True((await rt.Lifecycle.FindAsync("g1", "m1"))!.JoinedBeforeTracking);
    }

    [Fact]
    public async Task TheIntakeClearsTheMarkOfEveryEventItApplies()
    {
        await using var rt = Build();
        for (var i = 0; i < 5; i++)
        {
            await rt.Intake.SubmitAsync(Joined($"e{i}", $"m{i}", T0.AddMinutes(i)));
        }

        Assert.Empty(await rt.Log.ListUnappliedAsync(T0.AddYears(1), 10, CancellationToken.None));
        Assert.Equal(5, ((InMemoryEventLogStore)rt.Log).Count);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(86_401)]
    public void RecoveryDelay_OutOfRange_FailsAtStart_NamingIt(double seconds)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddHostedRuntime(o => o.RecoveryDelay = TimeSpan.FromSeconds(seconds));
        using var provider = services.BuildServiceProvider();
        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostedRuntimeOptions>>().Value);
        Assert.Contains("HostedRuntimeOptions.RecoveryDelay must be between 1 second and 1 day", failure.Message, StringComparison.Ordinal);
    }
}
