using CommunityFunnel.Events;
using CommunityFunnel.Members;
using static CommunityFunnel.Tests.Members.LifecycleTestKit;

namespace CommunityFunnel.Tests.Members;

/// <summary>Seeded random event streams, checked against simple reference implementations and invariants.</summary>
public sealed class LifecyclePropertyTests
{
    private static readonly EventType[] Types =
    [
        EventType.Joined, EventType.Joined, EventType.Left, EventType.Removed, EventType.Message, EventType.Message,
        EventType.Message, EventType.Checkin, EventType.TaskSubmitted, EventType.TaskApproved, EventType.TaskRejected,
        EventType.Order, EventType.NicknameChanged, EventType.NicknameChanged, EventType.LotteryEntered,
    ];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 60; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    private static LifecyclePolicy PolicyFor(int seed)
    {
        var policy = (seed % 4) switch
        {
            0 => SeedPolicy(),
            1 => new LifecyclePolicy { NicknamePattern = "^ok", SpeakEveryDays = 2, RejoinBan = TimeSpan.FromDays(3), RejoinAfterLeaving = RejoinMode.Active },
            2 => new LifecyclePolicy { SpeakEveryDays = 1, RejoinBan = TimeSpan.Zero },
            _ => new LifecyclePolicy { NicknamePattern = "^ok", WarningGrace = TimeSpan.FromHours(5), OnboardingGrace = TimeSpan.FromHours(3) },
        };
        if (seed % 4 == 3)
        {
            policy.RequiredTasks.Add(new LifecycleTask { Id = "share", Within = TimeSpan.FromHours(30) });
            policy.RequiredTasks.Add(new LifecycleTask { Id = "form", Within = TimeSpan.FromHours(10) });
        }

        return policy;
    }

    private static List<CommunityEvent> RandomStream(int seed, int members = 25, int count = 250)
    {
        var rng = new Random(seed);
        var events = new List<CommunityEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var type = Types[rng.Next(Types.Length)];
            var member = $"m{rng.Next(members)}";
            var at = T0.AddMinutes(rng.Next(0, 20 * 24 * 60));
            var role = type == EventType.Joined && rng.Next(20) == 0 ? MemberRole.Staff : (MemberRole?)null;
            var task = CommunityEvent.RequiresTask(type) ? (rng.Next(3) == 0 ? "other" : rng.Next(2) == 0 ? "share" : "form") : null;
            var nickname = type == EventType.NicknameChanged ? (rng.Next(2) == 0 ? "ok-name" : "bad") : null;
            events.Add(Event($"e{i}", type, member, at, role: role, task: task, nickname: nickname, amount: type == EventType.Order ? 1 : null));
        }

        return events.OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    private static string Describe(MemberAction a) => $"{a.At.UtcTicks} {a.Member} {a.Kind} {a.Reason} {a.Task} {a.Deadline?.UtcTicks}";

    private static string Describe(MemberRecord r) =>
        $"{r.Member} {r.State} {r.JoinedAt} {r.LastJoinedAt} {r.FirstActivityAt} {r.LastActivityAt} {r.ActivatedWithinWindow} {r.ConvertedAt} {r.JoinedBeforeTracking} {r.Protected} {r.NicknameOk} {r.RiskReason} {r.RemovalDeadline} {r.RemovedAt} {string.Join(",", r.Tasks.Select(t => $"{t.Key}={t.Value}"))}";

    [Theory]
    [MemberData(nameof(Seeds))]
    public void HeapDeadlineEngine_MatchesANaiveScanOverAllMembers(int seed)
    {
        var policy = PolicyFor(seed);
        var events = RandomStream(seed);
        var kit = new LifecycleTestKit(policy);
        var naive = new NaiveEngine(policy);
        var end = T0.AddDays(25);
        foreach (var e in events)
        {
            kit.AdvanceTo(e.At);
            naive.AdvanceTo(e.AtUtcTicks);
            kit.Engine.Apply(e);
            naive.Apply(e);
        }

        kit.AdvanceTo(end);
        naive.AdvanceTo(end.UtcTicks);

        Assert.Equal(naive.Actions.Select(Describe), kit.Actions.Select(Describe));
        Assert.NotEmpty(kit.Actions);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DuplicatesAndLazyDeadlines_GiveTheSameMembersAndActionsPerMember(int seed)
    {
        var policy = PolicyFor(seed);
        var events = RandomStream(seed);
        var eager = new LifecycleTestKit(policy);
        foreach (var e in events)
        {
            eager.AdvanceTo(e.At);
            eager.Engine.Apply(e);
        }

        // The same stream with re-sent events (right away or much later), and the clock advanced only now and then.
        var rng = new Random(seed * 31);
        var lazy = new LifecycleTestKit(policy);
        for (var i = 0; i < events.Count; i++)
        {
            if (rng.Next(10) == 0)
            {
                lazy.AdvanceTo(events[i].At);
            }

            lazy.Engine.Apply(events[i]);
            if (rng.Next(5) == 0)
            {
                lazy.Engine.Apply(events[rng.Next(i + 1)]);
            }
        }

        var end = T0.AddDays(25);
        eager.AdvanceTo(end);
        lazy.AdvanceTo(end);

        for (var slot = 0; slot < eager.Engine.Count; slot++)
        {
            var key = eager.Engine.KeyOf(slot);
            Assert.Equal(Describe(eager.Member(key.Member)), Describe(lazy.Member(key.Member)));
            Assert.Equal(
                eager.Actions.Where(a => a.Member == key.Member).Select(Describe),
                lazy.Actions.Where(a => a.Member == key.Member).Select(Describe));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryTransitionTaken_IsInThePolicysGraph(int seed)
    {
        var policy = PolicyFor(seed);
        var kit = new LifecycleTestKit(policy);
        foreach (var e in RandomStream(seed))
        {
            kit.AdvanceTo(e.At);
            kit.Engine.Apply(e);
        }

        kit.AdvanceTo(T0.AddDays(25));
        var graph = LifecycleGraph.For(policy).Transitions.Select(t => (t.From, t.To)).ToHashSet();
        Assert.All(kit.Transitions, t => Assert.Contains((t.From, t.To), graph));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ProtectedMembersAreNeverRemindedOrRemoved_AndRemovedMembersHaveNoDeadline(int seed)
    {
        var policy = PolicyFor(seed);
        policy.ProtectedMembers.Add("m3");
        var kit = new LifecycleTestKit(policy);
        foreach (var e in RandomStream(seed))
        {
            kit.AdvanceTo(e.At);
            kit.Engine.Apply(e);
        }

        kit.AdvanceTo(T0.AddDays(25));
        Assert.DoesNotContain(kit.Actions, a => a.Member == "m3" && a.Kind is MemberActionKind.Reminder || (a.Member == "m3" && a.Kind == MemberActionKind.Removal && a.Reason != LifecycleReason.RejoinBanned));
        for (var slot = 0; slot < kit.Engine.Count; slot++)
        {
            var r = kit.Engine.Record(slot);
            if (r.State is MemberState.Removed or MemberState.Left || r.Protected)
            {
                Assert.Null(r.NextDeadline);
            }

            Assert.Equal(r.State == MemberState.AtRisk, r.RemovalDeadline is not null);
        }
    }

    /// <summary>The reference deadline engine: every advance scans all members for the earliest due one.</summary>
    private sealed class NaiveEngine(LifecyclePolicy policy)
    {
        private readonly CompiledPolicy _policy = new(policy, Shanghai, TimeSpan.FromHours(24));
        private readonly List<string> _members = [];
        private readonly List<MemberData> _data = [];
        private readonly LifecycleOutput _output = new();

        public List<MemberAction> Actions { get; } = [];

        public void Apply(CommunityEvent e)
        {
            var slot = _members.IndexOf(e.Member);
            if (slot < 0)
            {
                slot = _members.Count;
                _members.Add(e.Member);
                _data.Add(default);
            }

            var m = _data[slot];
            _output.Clear();
            LifecycleCore.Apply(ref m, m.FirstSeenAt != 0, LifecycleEvent.From(e), _policy, _output);
            _data[slot] = m;
            Collect(slot);
        }

        public void AdvanceTo(long now)
        {
            while (true)
            {
                var best = -1;
                for (var i = 0; i < _data.Count; i++)
                {
                    var due = _data[i].NextDeadline;
                    if (due != 0 && due <= now && (best < 0 || due < _data[best].NextDeadline))
                    {
                        best = i;
                    }
                }

                if (best < 0)
                {
                    return;
                }

                var m = _data[best];
                _output.Clear();
                LifecycleCore.CheckDue(ref m, _policy, _output);
                _data[best] = m;
                Collect(best);
            }
        }

        private void Collect(int slot)
        {
            foreach (var a in _output.Actions)
            {
                Actions.Add(LifecycleCore.ToAction(a, "g1", _members[slot], _policy));
            }
        }
    }
}
