using CommunityFunnel.Events;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>Builds events in Shanghai local time and runs rules over them.</summary>
internal sealed class RewardScenario
{
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private int _next;

    public List<CommunityEvent> Events { get; } = [];

    public static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, Shanghai);

    public CommunityEvent Add(EventType type, string member, DateTimeOffset at, string? task = null, long? amount = null, MemberRole? role = null, string? channel = null, string? id = null)
    {
        var e = new CommunityEvent(id ?? $"e{++_next:D5}", type, "g1", member, at, channel: channel, role: role, task: task, amount: amount);
        Events.Add(e);
        return e;
    }

    public CommunityEvent Join(string member, DateTimeOffset at, MemberRole? role = null, string? channel = "poster") =>
        Add(EventType.Joined, member, at, role: role, channel: channel);

    public CommunityEvent Checkin(string member, DateTimeOffset at) => Add(EventType.Checkin, member, at, task: "daily");

    public static RewardRuleSet Rules(params RewardRule[] rules) => new() { Rules = rules };

    /// <summary>
    /// A random event of the kinds reward rules read, in group "g": check-ins, messages, orders of up to
    /// <paramref name="maxAmount"/>, approvals and rejections of "share", submissions of "form" or "other".
    /// </summary>
    public static CommunityEvent RandomEvent(Random random, string id, string member, DateTimeOffset at, int maxAmount) =>
        random.Next(8) switch
        {
            0 or 1 => new CommunityEvent(id, EventType.Checkin, "g", member, at, task: "daily"),
            2 or 3 => new CommunityEvent(id, EventType.Message, "g", member, at),
            4 => new CommunityEvent(id, EventType.Order, "g", member, at, amount: random.Next(maxAmount)),
            5 => new CommunityEvent(id, EventType.TaskApproved, "g", member, at, task: "share"),
            6 => new CommunityEvent(id, EventType.TaskRejected, "g", member, at, task: "share"),
            _ => new CommunityEvent(id, EventType.TaskSubmitted, "g", member, at, task: random.Next(2) == 0 ? "form" : "other"),
        };

    public static RewardRule Rule(string id, RewardTrigger trigger, RewardLimits? limits = null, string? budget = null, RewardEligibility? eligibility = null, long quantity = 1) => new()
    {
        Id = id,
        Trigger = trigger,
        Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = quantity }],
        Limits = limits ?? new RewardLimits(),
        Budget = budget,
        Eligibility = eligibility ?? new RewardEligibility(),
    };

    public RewardReplayResult Replay(RewardRuleSet rules, string zone = "Asia/Shanghai") =>
        RewardReplay.Run(Events, rules, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), zone);

    public Task<RewardReplayResult> ReplayAsync(RewardRuleSet rules, IRewardLedger ledger, string zone = "Asia/Shanghai") =>
        RewardReplay.RunAsync(Events, rules, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), ledger, timeZoneId: zone);

    /// <summary>A ledger as comparable text, one line an entry.</summary>
    public static string Describe(IEnumerable<RewardLedgerEntry> ledger) => string.Join('\n', ledger.Select(e =>
        $"{e.Kind} {e.Key} {e.RuleId} {e.Member} {e.At:O} {e.EventId} {e.ExpiresAt:O} {e.Reverses} "
        + string.Join(",", e.Rewards.Select(r => $"{r.Kind}:{r.Quantity}:{r.Draw}"))
        + " " + string.Join(",", e.Counters.Select(c => $"{c.Key}={c.Amount}/{c.Limit}"))));
}
