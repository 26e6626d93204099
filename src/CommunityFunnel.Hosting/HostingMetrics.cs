using CommunityFunnel.Campaigns;
using System.Diagnostics.Metrics;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Hosting;

/// <summary>
/// The runtime's instruments, on a <see cref="Meter"/> named <see cref="MeterName"/> (one per service provider, so
/// two hosts in one process are counted apart). OpenTelemetry picks it up with <c>AddMeter("CommunityFunnel")</c>.
/// </summary>
internal sealed class HostingMetrics : IDisposable
{
    public const string MeterName = "CommunityFunnel";

    private readonly Counter<long> _applied;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _recovered;
    private readonly Counter<long> _actions;
    private readonly Counter<long> _grants;
    private readonly Counter<long> _tickFailures;
    private readonly Histogram<double> _schedulerLag;
    private readonly Counter<long> _outboxDelivered;
    private readonly Counter<long> _outboxFailures;
    private readonly Counter<long> _outboxPollFailures;
    private readonly Histogram<double> _outboxLatency;
    private long _outboxPending;
    private long _outboxDead;
    private double _outboxAge;

    public HostingMetrics(IRewardEngine? rewards)
    {
        Meter = new Meter(MeterName);
        _applied = Meter.CreateCounter<long>("communityfunnel.events.applied", "{event}", "Events applied once to the lifecycle and the rewards.");
        _duplicates = Meter.CreateCounter<long>("communityfunnel.events.duplicates", "{event}", "Events whose id the event log held already.");
        _recovered = Meter.CreateCounter<long>("communityfunnel.events.recovered", "{event}", "Stored events applied by the recovery (an instance stopped between their append and their apply).");
        _actions = Meter.CreateCounter<long>("communityfunnel.actions", "{action}", "Member actions decided, by kind (tag kind).");
        _grants = Meter.CreateCounter<long>("communityfunnel.rewards.grants", "{grant}", "Reward grants added to the ledger.");
        _tickFailures = Meter.CreateCounter<long>("communityfunnel.scheduler.failures", "{tick}", "Scheduler ticks that failed (retried on the next tick).");
        _schedulerLag = Meter.CreateHistogram<double>("communityfunnel.scheduler.lag", "s", "How late a scheduler tick started after it was due.");
        _outboxDelivered = Meter.CreateCounter<long>("communityfunnel.outbox.delivered", "{action}", "Outbox actions delivered to every handler, by kind (tag kind).");
        _outboxFailures = Meter.CreateCounter<long>("communityfunnel.outbox.failures", "{delivery}", "Failed outbox deliveries (tag outcome: retry or dead).");
        _outboxPollFailures = Meter.CreateCounter<long>("communityfunnel.outbox.poll_failures", "{poll}", "Outbox polls that failed (the store was unreachable).");
        _outboxLatency = Meter.CreateHistogram<double>("communityfunnel.outbox.latency", "s", "From an action's decision to its delivery.");
        Meter.CreateObservableGauge("communityfunnel.outbox.backlog", () => Volatile.Read(ref _outboxPending), "{action}", "Outbox actions waiting for delivery, at the last poll.");
        Meter.CreateObservableGauge("communityfunnel.outbox.dead", () => Volatile.Read(ref _outboxDead), "{action}", "Dead letters in the outbox, at the last poll.");
        Meter.CreateObservableGauge("communityfunnel.outbox.lag", () => Volatile.Read(ref _outboxAge), "s", "Age of the oldest waiting outbox action, at the last poll.");
        if (rewards is not null)
        {
            var statistics = rewards.Statistics;
            Meter.CreateObservableCounter(
                "communityfunnel.rewards.refusals",
                () => new[]
                {
                    new Measurement<long>(statistics.BudgetExhausted, new KeyValuePair<string, object?>("reason", "budget")),
                    new Measurement<long>(statistics.LimitReached, new KeyValuePair<string, object?>("reason", "limit")),
                },
                "{grant}",
                "Grants refused: budget exhausted or a per-member limit reached (tag reason).");
        }
    }

    public Meter Meter { get; }

    public void Applied() => _applied.Add(1);

    public void Duplicate() => _duplicates.Add(1);

    public void Recovered(int count)
    {
        if (count > 0)
        {
            _recovered.Add(count);
        }
    }

    public void Actions(IReadOnlyList<MemberAction> actions)
    {
        foreach (var a in actions)
        {
            _actions.Add(1, new KeyValuePair<string, object?>("kind", KindName(a.Kind)));
        }
    }

    public void Grants(int count)
    {
        if (count > 0)
        {
            _grants.Add(count);
        }
    }

    public void TickFailed() => _tickFailures.Add(1);

    public void OutboxBacklog(OutboxStatistics statistics, DateTimeOffset now)
    {
        Volatile.Write(ref _outboxPending, statistics.Pending);
        Volatile.Write(ref _outboxDead, statistics.Dead);
        Volatile.Write(ref _outboxAge, statistics.OldestPendingAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0);
    }

    public void OutboxDelivered(OutboxEntry entry, DateTimeOffset at)
    {
        _outboxDelivered.Add(1, new KeyValuePair<string, object?>("kind", KindName(entry.Action)));
        _outboxLatency.Record(Math.Max(0, (at - entry.DecidedAt).TotalSeconds));
    }

    public void OutboxFailed(OutboxEntry entry, bool dead) =>
        _outboxFailures.Add(1, new KeyValuePair<string, object?>("outcome", dead ? "dead" : "retry"));

    public void OutboxPollFailed() => _outboxPollFailures.Add(1);

    public void SchedulerLag(TimeSpan lag) => _schedulerLag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>The action's kind as the metrics and logs name it (<c>welcome</c>, ..., <c>prize_won</c>, <c>draw_published</c>).</summary>
    public static string KindName(OutboxAction action) => action switch
    {
        MemberAction a => KindName(a.Kind),
        CampaignAction { Kind: CampaignActionKind.PrizeWon } => "prize_won",
        CampaignAction { Kind: CampaignActionKind.DrawPublished } => "draw_published",
        Rewards.RewardGranted => "grant",
        _ => "other",
    };

    public static string KindName(MemberActionKind kind) => kind switch
    {
        MemberActionKind.Welcome => "welcome",
        MemberActionKind.Reminder => "reminder",
        MemberActionKind.Removal => "removal",
        MemberActionKind.Congratulation => "congratulation",
        _ => "other",
    };

    public void Dispose() => Meter.Dispose();
}
