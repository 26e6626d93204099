using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Simulation;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Members;

/// <summary>The public in-memory lifecycle engine: edge cases, and the same decisions as the service.</summary>
public sealed class MemberLifecycleEngineTests
{
    private static readonly DateTimeOffset T0 = LifecycleTestKit.T0;

    private sealed class Collect : IMemberActionHandler
    {
        public List<MemberAction> Actions { get; } = [];

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            Actions.Add(action);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Constructor_RejectsBadArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new MemberLifecycleEngine(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemberLifecycleEngine(new LifecycleOptions(), expectedMembers: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemberLifecycleEngine(new LifecycleOptions(), new CommunityFunnelOptions { ActivationWindow = TimeSpan.Zero }));
        Assert.ThrowsAny<ArgumentException>(() => new MemberLifecycleEngine(new LifecycleOptions { TimeZoneId = "Nowhere/Atlantis" }));
        var bad = new LifecycleOptions();
        bad.DefaultPolicy.RequiredTasks.Add(new LifecycleTask { Id = "t", Within = TimeSpan.Zero });
        var error = Assert.ThrowsAny<ArgumentException>(() => new MemberLifecycleEngine(bad));
        Assert.Contains("Within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyEngine_KnowsNobody_AndHasNothingDue()
    {
        var engine = new MemberLifecycleEngine(new LifecycleOptions(), expectedMembers: 0);
        Assert.Equal(0, engine.Count);
        Assert.Null(engine.Find("g1", "m"));
        Assert.Empty(engine.Members());
        Assert.Equal(0, engine.AdvanceTo(DateTimeOffset.MaxValue));
        Assert.Throws<ArgumentNullException>(() => engine.Apply(null!));
        Assert.Throws<ArgumentNullException>(() => engine.Find(null!, "m"));
    }

    [Fact]
    public void Apply_DecidesActionsThroughTheSinks_CountsDuplicates_AndDeadlinesFollowAdvanceTo()
    {
        var actions = new List<MemberAction>();
        var transitions = new List<MemberTransition>();
        var engine = new MemberLifecycleEngine(new LifecycleOptions { DefaultPolicy = LifecycleTestKit.SeedPolicy() }, expectedMembers: 2)
        {
            ActionSink = actions.Add,
            TransitionSink = transitions.Add,
        };
        var join = LifecycleTestKit.Event("j1", EventType.Joined, "m1", T0);
        Assert.True(engine.Apply(join));
        Assert.False(engine.Apply(join));
        Assert.Equal(1, engine.Duplicates);
        Assert.Equal(1, engine.Applied);
        Assert.Equal(MemberActionKind.Welcome, Assert.Single(actions).Kind);
        Assert.Equal(MemberState.Onboarding, engine.Find("g1", "m1")!.State);
        Assert.Null(engine.Find("g2", "m1"));

        Assert.Equal(0, engine.AdvanceTo(T0.AddHours(23)));
        Assert.Equal(1, engine.AdvanceTo(T0.AddHours(24))); // the onboarding grace ends at exactly +24 h
        Assert.Equal(MemberActionKind.Reminder, actions[^1].Kind);
        Assert.Equal(MemberState.AtRisk, engine.Find("g1", "m1")!.State);
        Assert.Equal(MemberState.AtRisk, transitions[^1].To);
        Assert.Equal(actions.Count, engine.Actions);

        engine.ActionSink = null;
        engine.TransitionSink = null;
        Assert.Null(engine.ActionSink);
        engine.AdvanceTo(T0.AddDays(10));
        Assert.Equal(MemberState.Removed, engine.Find("g1", "m1")!.State);
        Assert.Equal(actions.Count + 1, engine.Actions); // counted without a sink
    }

    [Fact]
    public void Members_ListsEveryMemberInFirstSeenOrder_AcrossGroups()
    {
        var engine = new MemberLifecycleEngine(new LifecycleOptions(), expectedMembers: 1);
        for (var i = 0; i < 100; i++)
        {
            engine.Apply(LifecycleTestKit.Event("e" + i, EventType.Message, "m" + (i % 40), T0.AddMinutes(i), group: i % 2 == 0 ? "a" : "b"));
        }

        var members = engine.Members();
        Assert.Equal(engine.Count, members.Count);
        Assert.Equal(40, members.Count);
        Assert.Equal(("a", "m0"), (members[0].Group, members[0].Member));
        Assert.Equal(("b", "m1"), (members[1].Group, members[1].Member));
        Assert.All(members, m => Assert.True(m.JoinedBeforeTracking));
    }

    [Fact]
    public void ActivityOfAMemberInGoodStanding_AllocatesNothing()
    {
        var engine = new MemberLifecycleEngine(new LifecycleOptions { DefaultPolicy = new LifecyclePolicy { SpeakEveryDays = 3 } });
        var events = new CommunityEvent[2000];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = LifecycleTestKit.Event("e" + i, EventType.Message, "m" + (i % 50), T0.AddSeconds(i));
        }

        engine.Apply(LifecycleTestKit.Event("j", EventType.Joined, "m0", T0.AddSeconds(-1)));
        for (var i = 0; i < 1000; i++)
        {
            engine.Apply(events[i]); // warm up: members created
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < events.Length; i++)
        {
            engine.Apply(events[i]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(events.Length + 1, engine.Applied);
    }

    [Fact]
    public async Task PublicEngine_AndStoreBackedService_DecideTheSameActionsAndStates_OnASimulatedCommunity()
    {
        var raw = CommunitySimulator.Generate(new SimulationOptions { Members = 300, Days = 10, Seed = 4242 }).ToList();
        var policy = LifecycleTestKit.SeedPolicy();
        var engineActions = new List<MemberAction>();
        var engineTransitions = new List<MemberTransition>();
        var engine = new MemberLifecycleEngine(new LifecycleOptions { DefaultPolicy = policy })
        {
            ActionSink = engineActions.Add,
            TransitionSink = engineTransitions.Add,
        };

        var handler = new Collect();
        using var provider = LifecycleTestKit.Services(policy, handler);
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();

        var duplicates = 0;
        foreach (var e in raw)
        {
            engine.AdvanceTo(e.At);
            await lifecycle.AdvanceToAsync(e.At);
            var applied = engine.Apply(e);
            var result = await lifecycle.ApplyAsync(e);
            if (e.Type == EventType.InviteViewed)
            {
                // A visitor's view is no member's event: both ignore it.
                Assert.False(applied);
                Assert.Equal((null, false), (result.Member, result.Duplicate));
                continue;
            }

            Assert.Equal(!applied, result.Duplicate);
            duplicates += result.Duplicate ? 1 : 0;
        }

        var end = raw.Max(e => e.At).AddDays(5);
        engine.AdvanceTo(end);
        await lifecycle.AdvanceToAsync(end);

        Assert.True(duplicates > 0);
        Assert.Equal(duplicates, engine.Duplicates);
        Assert.Contains(raw, e => e.Type == EventType.InviteViewed);
        Assert.DoesNotContain(engine.Members(), m => m.Member.StartsWith("v-", StringComparison.Ordinal));
        static string Describe(MemberAction a) => $"{a.At.UtcTicks} {a.Group} {a.Member} {a.Kind} {a.Reason} {a.Task} {a.Deadline?.UtcTicks}";
        Assert.Equal(engineActions.Select(Describe).Order(StringComparer.Ordinal), handler.Actions.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal(engineActions.Count, engine.Actions);
        Assert.Contains(engineActions, a => a.Kind == MemberActionKind.Removal);

        var store = provider.GetRequiredService<IMemberStore>();
        foreach (var fast in engine.Members())
        {
            var stored = (await store.FindAsync(fast.Group, fast.Member, CancellationToken.None))!;
            Assert.Equal((fast.State, fast.JoinedAt, fast.FirstActivityAt, fast.LastActivityAt, fast.ActivatedWithinWindow, fast.ConvertedAt, fast.JoinedBeforeTracking, fast.NextDeadline),
                (stored.State, stored.JoinedAt, stored.FirstActivityAt, stored.LastActivityAt, stored.ActivatedWithinWindow, stored.ConvertedAt, stored.JoinedBeforeTracking, stored.NextDeadline));
            Assert.Equal(fast.Tasks, stored.Tasks);
            Assert.Equal(engineTransitions.Count(t => t.Group == fast.Group && t.Member == fast.Member), (await store.GetAuditTrailAsync(fast.Group, fast.Member, CancellationToken.None)).Count);
            Assert.Equal(fast.State, engine.Find(fast.Group, fast.Member)!.State);
        }
    }

    public static TheoryData<int> BatchSeeds() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    /// <summary>
    /// The batch Apply against one Apply per event on random streams: several groups and policies, members new in
    /// the middle of a block (and a table that grows), duplicates within and across blocks, late events, every
    /// event type, deadlines processed between batches. Actions, transitions, records and counters must be equal.
    /// </summary>
    [Theory]
    [MemberData(nameof(BatchSeeds))]
    public void ApplyBatch_DecidesExactlyWhatApplyingEachEventInTurnDecides(int seed)
    {
        var rng = new Random(seed);
        var options = new LifecycleOptions { DefaultPolicy = LifecycleTestKit.SeedPolicy() };
        options.Groups["g2"] = new LifecyclePolicy { SpeakEveryDays = 1, NicknamePattern = "^ok" };
        EventType[] types = [EventType.Joined, EventType.Left, EventType.Removed, EventType.Message, EventType.Checkin, EventType.TaskSubmitted, EventType.TaskApproved, EventType.Order, EventType.NicknameChanged, EventType.LotteryEntered];
        var events = new List<CommunityEvent>();
        var at = T0;
        for (var i = 0; i < 3000; i++)
        {
            if (i > 0 && rng.Next(12) == 0)
            {
                events.Add(events[rng.Next(Math.Max(0, i - 100), i)]); // a duplicate, often within one block
                continue;
            }

            at = at.AddMinutes(rng.Next(0, 90));
            var type = types[rng.Next(types.Length)];
            var late = rng.Next(20) == 0 ? at.AddHours(-rng.Next(1, 48)) : at;
            events.Add(LifecycleTestKit.Event(
                $"e{i}", type, "m" + rng.Next(seed * 40), late, group: "g" + rng.Next(1, 4),
                task: CommunityEvent.RequiresTask(type) ? "share" : null,
                nickname: type == EventType.NicknameChanged ? (rng.Next(2) == 0 ? "ok-1" : "bad") : null,
                amount: type == EventType.Order ? 5 : null));
        }

        var (one, oneLog) = NewEngine(options);
        var (batch, batchLog) = NewEngine(options);
        var start = 0;
        while (start < events.Count)
        {
            var length = Math.Min(rng.Next(1, 120), events.Count - start);
            var now = events[start].At;
            one.AdvanceTo(now);
            batch.AdvanceTo(now);
            var applied = 0;
            foreach (var e in events.Skip(start).Take(length))
            {
                applied += one.Apply(e) ? 1 : 0;
            }

            Assert.Equal(applied, batch.ApplyBatch(events.ToArray().AsSpan(start, length)));
            start += length;
        }

        Assert.Equal(oneLog, batchLog);
        Assert.True(oneLog.Count > 100, $"only {oneLog.Count} actions and transitions: the stream exercises too little");
        Assert.Equal((one.Count, one.Applied, one.Duplicates, one.Actions), (batch.Count, batch.Applied, batch.Duplicates, batch.Actions));
        Assert.True(one.Duplicates > 100);
        Assert.Equal(one.Members().Select(Describe), batch.Members().Select(Describe));

        static (MemberLifecycleEngine Engine, List<string> Log) NewEngine(LifecycleOptions options)
        {
            var log = new List<string>();
            var engine = new MemberLifecycleEngine(options, expectedMembers: 4)
            {
                ActionSink = a => log.Add($"A {a.Group} {a.Member} {a.Kind} {a.Reason} {a.At.UtcTicks} {a.Deadline?.UtcTicks}"),
                TransitionSink = t => log.Add($"T {t.Group} {t.Member} {t.From} {t.To} {t.Trigger} {t.At.UtcTicks}"),
            };
            return (engine, log);
        }

        static string Describe(MemberRecord r) =>
            $"{r.Group} {r.Member} {r.State} {r.JoinedAt} {r.LastJoinedAt} {r.FirstActivityAt} {r.LastActivityAt} {r.ConvertedAt} {r.RiskReason} {r.RemovalDeadline} {r.RemovedAt}";
    }

    [Fact]
    public void ApplyBatch_WithANullElement_AppliesNothing_AndNamesTheIndex()
    {
        var engine = new MemberLifecycleEngine(new LifecycleOptions());
        var events = new[] { LifecycleTestKit.Event("e1", EventType.Joined, "m1", T0), null!, LifecycleTestKit.Event("e2", EventType.Message, "m1", T0) };
        var error = Assert.Throws<ArgumentException>(() => engine.ApplyBatch(events.AsSpan()));
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engine.Count);
        Assert.Equal(0, engine.ApplyBatch(ReadOnlySpan<CommunityEvent>.Empty));
    }
}
