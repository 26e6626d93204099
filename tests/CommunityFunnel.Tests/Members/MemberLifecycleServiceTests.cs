using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CommunityFunnel.Tests.Members.LifecycleTestKit;

namespace CommunityFunnel.Tests.Members;

public sealed class MemberLifecycleServiceTests
{
    private sealed class RecordingHandler : IMemberActionHandler
    {
        public List<MemberAction> Actions { get; } = [];

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            lock (Actions)
            {
                Actions.Add(action);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class FailingHandler : IMemberActionHandler
    {
        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken) => throw new InvalidOperationException("platform down");
    }

    private static (ServiceProvider Provider, RecordingHandler Handler, FakeTimeProvider Clock) Build(Action<CommunityFunnelBuilder>? more = null)
    {
        var handler = new RecordingHandler();
        var clock = new FakeTimeProvider(T0);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        var builder = services.AddCommunityFunnel().UseInMemoryStores()
            .ConfigureLifecycle(o => o.DefaultPolicy = SeedPolicy())
            .AddMemberActionHandler(handler);
        more?.Invoke(builder);
        return (services.BuildServiceProvider(), handler, clock);
    }

    [Fact]
    public async Task Apply_SavesTheRecord_KeepsTheAuditTrail_AndDispatchesActionsToHandlers()
    {
        var (provider, handler, _) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();

        var result = await lifecycle.ApplyAsync(Event("j1", EventType.Joined, "m1", T0));
        Assert.False(result.Duplicate);
        Assert.Equal(MemberActionKind.Welcome, Assert.Single(handler.Actions).Kind);
        Assert.Equal(1, (await lifecycle.FindAsync("g1", "m1"))!.Version);

        var again = await lifecycle.ApplyAsync(Event("j1", EventType.Joined, "m1", T0));
        Assert.True(again.Duplicate);
        Assert.Single(handler.Actions);

        var store = provider.GetRequiredService<IMemberStore>();
        var entry = Assert.Single(await store.GetAuditTrailAsync("g1", "m1", CancellationToken.None));
        Assert.Equal((null, MemberState.Onboarding, "j1"), (entry.From, entry.To, entry.Trigger));
    }

    [Fact]
    public async Task AdvanceToNow_FollowsTheTimeProvider()
    {
        var (provider, handler, clock) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        await lifecycle.ApplyAsync(Event("j1", EventType.Joined, "m1", T0));
        handler.Actions.Clear();

        clock.Advance(TimeSpan.FromHours(23));
        Assert.Empty(await lifecycle.AdvanceToNowAsync());
        clock.Advance(TimeSpan.FromHours(1));
        var reminder = Assert.Single(await lifecycle.AdvanceToNowAsync());
        Assert.Equal(LifecycleReason.Nickname, reminder.Reason);
        Assert.Equal(reminder, Assert.Single(handler.Actions));
        Assert.Equal(MemberState.AtRisk, (await lifecycle.FindAsync("g1", "m1"))!.State);
        Assert.Equal(2, (await lifecycle.FindAsync("g1", "m1"))!.Version);
    }

    [Fact]
    public async Task AdvanceTo_Cancelled_StopsBetweenMembers_AndTheDeadlinesItDidNotProcessStayDue()
    {
        using var source = new CancellationTokenSource();
        var cancelling = new CancellingHandler(source, after: 3);
        var (provider, handler, _) = Build(b => b.AddMemberActionHandler(cancelling));
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        for (var i = 0; i < 10; i++)
        {
            await lifecycle.ApplyAsync(Event($"j{i}", EventType.Joined, $"m{i}", T0.AddMinutes(i)));
        }

        handler.Actions.Clear();
        cancelling.Armed = true;

        // The third reminder cancels the token: its member is saved and its actions handed over; the rest wait.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lifecycle.AdvanceToAsync(T0.AddHours(25), source.Token));
        Assert.Equal(3, handler.Actions.Count);
        var reminded = handler.Actions.Select(a => a.Member).ToHashSet();

        var rest = await lifecycle.AdvanceToAsync(T0.AddHours(25));
        Assert.Equal(7, rest.Count);
        Assert.Empty(rest.Select(a => a.Member).Intersect(reminded));
        Assert.Equal(10, handler.Actions.Select(a => a.Member).Distinct().Count());
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(MemberState.AtRisk, (await lifecycle.FindAsync("g1", $"m{i}"))!.State);
        }
    }

    [Fact]
    public async Task Apply_WithACancelledToken_ChangesNothing_AndHandlersAreAwaitedInOrder()
    {
        var slow = new SlowHandler();
        var (provider, handler, _) = Build(b => b.AddMemberActionHandler(slow));
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lifecycle.ApplyAsync(Event("j1", EventType.Joined, "m1", T0), cancelled.Token));
        Assert.Null(await lifecycle.FindAsync("g1", "m1"));
        Assert.Empty(handler.Actions);

        await lifecycle.ApplyAsync(Event("j1", EventType.Joined, "m1", T0));
        await lifecycle.AdvanceToAsync(T0.AddDays(3));

        // Every action reached the first handler, then the slow one, one at a time, in the order decided.
        Assert.Equal(handler.Actions, slow.Actions);
        Assert.Equal(1, slow.MaxInFlight);
        Assert.True(slow.Actions.Count >= 2);
    }

    private sealed class CancellingHandler(CancellationTokenSource source, int after) : IMemberActionHandler
    {
        private int _seen;

        public bool Armed { get; set; }

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            if (Armed && ++_seen == after)
            {
                source.Cancel();
            }

            return Task.CompletedTask;
        }
    }

    private sealed class SlowHandler : IMemberActionHandler
    {
        private int _inFlight;

        public List<MemberAction> Actions { get; } = [];

        public int MaxInFlight { get; private set; }

        public async Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            MaxInFlight = Math.Max(MaxInFlight, Interlocked.Increment(ref _inFlight));
            await Task.Yield();
            Actions.Add(action);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    [Fact]
    public async Task ConcurrentApplies_OfTheSameEvents_AreAppliedOnce_AndLoseNoUpdate()
    {
        var (provider, handler, _) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        var events = new List<CommunityEvent>();
        for (var i = 0; i < 50; i++)
        {
            events.Add(Event($"j{i}", EventType.Joined, $"m{i % 10}", T0.AddMinutes(i)));
            events.Add(Event($"n{i}", EventType.NicknameChanged, $"m{i % 10}", T0.AddMinutes(i).AddSeconds(1), nickname: "上海-王-师"));
            events.Add(Event($"l{i}", EventType.Left, $"m{i % 10}", T0.AddMinutes(i).AddSeconds(2)));
        }

        // Every event delivered twice, from 4 threads at once; per member the order of distinct events is kept.
        await Parallel.ForAsync(0, 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (worker, _) =>
        {
            var member = $"m{worker % 10}";
            foreach (var e in events.Where(e => e.Member == member))
            {
                await lifecycle.ApplyAsync(e);
            }
        });

        for (var m = 0; m < 10; m++)
        {
            var record = (await lifecycle.FindAsync("g1", $"m{m}"))!;
            Assert.Equal(MemberState.Left, record.State);
            var trail = await provider.GetRequiredService<IMemberStore>().GetAuditTrailAsync("g1", $"m{m}", CancellationToken.None);
            Assert.Equal(15, trail.Count); // 5 stays x (join, nickname, left)
            Assert.Equal(5, handler.Actions.Count(a => a.Member == $"m{m}" && a.Kind == MemberActionKind.Welcome));
            Assert.Equal(5, handler.Actions.Count(a => a.Member == $"m{m}" && a.Kind == MemberActionKind.Congratulation));
        }
    }

    [Fact]
    public async Task AFailingHandler_DoesNotStopTheOthers_AndTheStateIsSaved()
    {
        var (provider, handler, _) = Build(b => b.AddMemberActionHandler(new FailingHandler()));
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();

        var error = await Assert.ThrowsAsync<AggregateException>(() => lifecycle.ApplyAsync(Event("j1", EventType.Joined, "m1", T0)));
        Assert.Contains("platform down", error.InnerExceptions[0].Message, StringComparison.Ordinal);
        Assert.Single(handler.Actions);
        Assert.NotNull(await lifecycle.FindAsync("g1", "m1"));
    }

    [Fact]
    public async Task Reconcile_ProducesJoinedAndLeftEvents_WithDeterministicIds_AndNothingTheSecondTime()
    {
        var (provider, _, _) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        await lifecycle.ApplyAsync(Event("j-a", EventType.Joined, "a", T0));
        await lifecycle.ApplyAsync(Event("j-b", EventType.Joined, "b", T0));
        var at = T0.AddHours(5);
        SnapshotMember[] snapshot = [new("a", T0), new("c", T0.AddHours(2), "qr-store-1", "staff-1")];

        var first = await lifecycle.ReconcileAsync("g1", snapshot, at);
        Assert.Equal(2, first.Count);
        var joined = Assert.Single(first, e => e.Type == EventType.Joined);
        Assert.Equal(("c", "qr-store-1", "staff-1", T0.AddHours(2)), (joined.Member, joined.Channel, joined.By, joined.At));
        Assert.Equal("snapshot-joined:g1:c:20261102T040000.0000000Z", joined.Id);
        var left = Assert.Single(first, e => e.Type == EventType.Left);
        Assert.Equal(("b", at), (left.Member, left.At));

        Assert.Equal(MemberState.Left, (await lifecycle.FindAsync("g1", "b"))!.State);
        Assert.Equal(MemberState.Onboarding, (await lifecycle.FindAsync("g1", "c"))!.State);
        Assert.Empty(await lifecycle.ReconcileAsync("g1", snapshot, at));
        Assert.Empty(await lifecycle.ReconcileAsync("g1", snapshot, at.AddHours(1)));
    }

    [Fact]
    public async Task Reconcile_CarriesRoleAttributionAndScene_OfASnapshotMember_IntoItsJoinedEvent()
    {
        var (provider, _, _) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        SnapshotMember[] snapshot =
        [
            new("s", T0, "unknown") { Role = MemberRole.Staff, Attribution = ChannelAttribution.Unknown, Scene = "wecom:join_scene=1" },
            new("m", T0, "poster-a") { Attribution = ChannelAttribution.Exact, Scene = "wecom:join_scene=3" },
            new("plain", T0),
        ];

        var events = (await lifecycle.ReconcileAsync("g1", snapshot, T0.AddHours(1))).ToDictionary(e => e.Member);

        Assert.Equal((MemberRole?)MemberRole.Staff, events["s"].Role);
        Assert.Equal((ChannelAttribution?)ChannelAttribution.Unknown, events["s"].Attribution);
        Assert.Equal(ChannelAttribution.Unknown, events["s"].EffectiveAttribution);
        Assert.Equal("wecom:join_scene=1", events["s"].Scene);
        Assert.Equal(("poster-a", (ChannelAttribution?)ChannelAttribution.Exact, "wecom:join_scene=3"), (events["m"].Channel, events["m"].Attribution, events["m"].Scene));
        Assert.Equal(((MemberRole?)null, (ChannelAttribution?)null, (string?)null), (events["plain"].Role, events["plain"].Attribution, events["plain"].Scene));
    }

    [Fact]
    public async Task Reconcile_RejectsADuplicateMemberInTheSnapshot_NamingIt()
    {
        var (provider, _, _) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => lifecycle.ReconcileAsync("g1", [new("a", T0), new("a", T0)], T0.AddHours(1)));
        Assert.Contains("snapshot[1].Member 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreRegistered_AndAHostCanReplaceTheStore()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        Assert.Contains(services, d => d.ServiceType == typeof(IMemberStore) && d.Lifetime == ServiceLifetime.Singleton);
        using (var built = services.BuildServiceProvider())
        {
            var store = Assert.IsType<InMemoryMemberStore>(built.GetRequiredService<IMemberStore>());
            Assert.Same(store.Outbox, built.GetRequiredService<IActionOutbox>()); // the outbox its saves write to
        }

        Assert.Contains(services, d => d.ServiceType == typeof(IMemberLifecycle) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(IValidateOptions<LifecycleOptions>) && d.ImplementationType == typeof(LifecycleOptionsValidator));
        Assert.Contains(services, d => d.ServiceType == typeof(MemberActionDispatcher));

        var mine = new InMemoryMemberStore();
        var hosted = new ServiceCollection();
        hosted.AddCommunityFunnel().UseInMemoryStores().UseMemberStore(mine);
        hosted.AddCommunityFunnel().UseInMemoryStores(); // calling again keeps the host's choice
        using var provider = hosted.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<IMemberStore>());
        Assert.Single(hosted, d => d.ServiceType == typeof(IMemberStore));

        var before = new ServiceCollection();
        before.AddSingleton<IMemberStore>(mine);
        before.AddCommunityFunnel().UseInMemoryStores();
        using var provider2 = before.BuildServiceProvider();
        Assert.Same(mine, provider2.GetRequiredService<IMemberStore>());
    }

    [Fact]
    public async Task AnOldEventAppliedAgain_ChangesNothing_AndSavesNoNewVersion_ButALateEventThatChangesSomethingIsSaved()
    {
        var (provider, _, _) = Build();
        using var _p = provider;
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        await lifecycle.ApplyAsync(Event("j", EventType.Joined, "m1", T0));
        await lifecycle.ApplyAsync(Event("a", EventType.Message, "m1", T0.AddHours(1)));
        await lifecycle.ApplyAsync(Event("b", EventType.Message, "m1", T0.AddHours(2)));
        Assert.Equal(3L, (await lifecycle.FindAsync("g1", "m1"))!.Version);

        // "a" again (another instance applying it a second time): older than the watermark, and changes nothing.
        var again = await lifecycle.ApplyAsync(Event("a", EventType.Message, "m1", T0.AddHours(1)));
        Assert.Equal((false, 3L), (again.Duplicate, again.Member!.Version));
        Assert.Empty(again.Actions);
        Assert.Equal(3L, (await lifecycle.FindAsync("g1", "m1"))!.Version);

        // A late order does change something (the conversion): saved.
        var order = await lifecycle.ApplyAsync(Event("o", EventType.Order, "m1", T0.AddMinutes(30), amount: 100));
        Assert.Equal(4L, order.Member!.Version);
        Assert.Equal(T0.AddMinutes(30), order.Member.ConvertedAt);
    }

    [Fact]
    public void InvalidOptions_FailAtStart_NamingEveryBadField()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureLifecycle(o =>
        {
            o.DefaultPolicy.OnboardingGrace = TimeSpan.Zero;
            o.DefaultPolicy.NicknamePattern = "([";
            var vip = new LifecyclePolicy { SpeakEveryDays = 0, WarningGrace = TimeSpan.FromHours(-1) };
            vip.RequiredTasks.Add(new LifecycleTask { Id = "", Within = TimeSpan.Zero });
            o.Groups["vip"] = vip;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LifecycleOptions>>().Value);
        foreach (var field in new[]
        {
            "DefaultPolicy.OnboardingGrace", "DefaultPolicy.NicknamePattern", "Groups[vip].SpeakEveryDays",
            "Groups[vip].WarningGrace", "Groups[vip].RequiredTasks[0].Id", "Groups[vip].RequiredTasks[0].Within",
        })
        {
            Assert.Contains(field, error.Message, StringComparison.Ordinal);
        }
    }
}
