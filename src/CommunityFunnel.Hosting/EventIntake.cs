using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Hosting;

/// <summary>
/// The default <see cref="IEventIntake"/>: the event log store decides new or duplicate (its unique key, atomic
/// across instances sharing it); only the caller whose append won applies the event, lifecycle first, then rewards,
/// under a per-member lock so one instance applies a member's events in the order they were submitted. The append
/// marks the event not applied yet and the apply clears the mark: before its own event the intake applies the member's
/// other marked events in append order (another instance's, appended a moment before), and an event left marked by a
/// crash is applied by <see cref="RecoverAsync"/> (the scheduler's tick) on any instance.
/// </summary>
internal sealed class EventIntake : IEventIntake
{
    private const int RecoveryBatch = 256;
    private readonly IEventLogStore _log;
    private readonly IMemberLifecycle _lifecycle;
    private readonly IRewardEngine? _rewards;
    private readonly TimeProvider _time;
    private readonly HostingMetrics _metrics;
    private readonly ILogger _logger;
    private readonly KeyedLock _members = new();
    private readonly IActivationProjection? _activation;
    private readonly IActionOutbox? _notices;

    public EventIntake(IEventLogStore log, IMemberLifecycle lifecycle, IRewardEngine? rewards, TimeProvider time, HostingMetrics metrics, ILogger<EventIntake> logger, IActivationProjection? activation = null, IActionOutbox? notices = null)
    {
        _notices = notices;
        _log = log;
        _lifecycle = lifecycle;
        _rewards = rewards;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _activation = activation;
    }

    public async Task<EventIntakeResult> SubmitAsync(CommunityEvent communityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        using (await _members.AcquireAsync(communityEvent.Group, communityEvent.Member, cancellationToken).ConfigureAwait(false))
        {
            if (!await _log.TryAppendAsync(communityEvent, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                _metrics.Duplicate();
                HostingLog.Duplicate(_logger, communityEvent);
                return new EventIntakeResult(EventIntakeOutcome.Duplicate, [], 0);
            }

            // The member's events still unapplied, in append order, this one among them: another instance may have
            // appended one of them a moment before and not applied it yet. Applying them in append order here (which
            // that instance may do too: applying twice is harmless) gives the order one instance would have.
            var pending = await _log.ListUnappliedAsync(communityEvent.Group, communityEvent.Member, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                // A store that keeps no marks lists nothing (or another instance applied it meanwhile): apply it alone.
                return await ApplyAsync(communityEvent, cancellationToken).ConfigureAwait(false);
            }

            // The result holds every action and grant this call decided, the other events' too: their own
            // submissions find them decided already.
            var actions = new List<MemberAction>();
            var grants = 0;
            foreach (var e in pending)
            {
                var applied = await ApplyAsync(e, cancellationToken, owner: string.Equals(e.Id, communityEvent.Id, StringComparison.Ordinal)).ConfigureAwait(false);
                actions.AddRange(applied.Actions);
                grants += applied.Grants;
            }

            return new EventIntakeResult(EventIntakeOutcome.Applied, actions, grants);
        }
    }

    /// <summary>
    /// Applies the stored events still marked not applied that were appended before <paramref name="appendedBefore"/>
    /// (their instance crashed, or failed, between the append and the end of the apply), in event time order. Applying
    /// again is safe: the lifecycle skips an event it has seen and the ledger never grants a key twice.
    /// </summary>
    /// <returns>How many events it applied.</returns>
    public async Task<int> RecoverAsync(DateTimeOffset appendedBefore, CancellationToken cancellationToken)
    {
        var applied = 0;
        while (true)
        {
            var pending = await _log.ListUnappliedAsync(appendedBefore, RecoveryBatch, cancellationToken).ConfigureAwait(false);
            foreach (var e in pending)
            {
                using (await _members.AcquireAsync(e.Group, e.Member, cancellationToken).ConfigureAwait(false))
                {
                    await ApplyAsync(e, cancellationToken).ConfigureAwait(false);
                }

                HostingLog.Recovered(_logger, e);
                applied++;
            }

            if (pending.Count < RecoveryBatch)
            {
                _metrics.Recovered(applied);
                return applied;
            }
        }
    }

    private async Task<EventIntakeResult> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken, bool owner = true)
    {
        var lifecycle = await _lifecycle.ApplyAsync(communityEvent, cancellationToken).ConfigureAwait(false);
        var grants = 0;
        if (_rewards is not null)
        {
            var refusedBefore = _rewards.Statistics.BudgetExhausted;
            if (_notices is null)
            {
                grants = await _rewards.ProcessAsync(communityEvent, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Before the mark is cleared, and inside the engine's call: a failure here undoes the event in the
                // engine, and an instance stopping here leaves the event to apply again; either way applying it again
                // finds the grants in the ledger and enqueues their notices then (the ids make it once).
                var now = _time.GetUtcNow();
                grants = await _rewards.ProcessWithGrantsAsync(
                    communityEvent,
                    (granted, ct) => granted.Count == 0 ? Task.CompletedTask : _notices.EnqueueAsync(
                        granted.Select(g => new OutboxEntry { Id = OutboxActionIds.GrantNotice(g.Key), Action = new RewardGranted(communityEvent.Group, g), DecidedAt = now, NextAttemptAt = now }).ToList(),
                        ct),
                    cancellationToken).ConfigureAwait(false);
            }

            var refused = _rewards.Statistics.BudgetExhausted - refusedBefore;
            if (refused > 0)
            {
                HostingLog.GrantRefusedByBudget(_logger, communityEvent, refused);
            }
        }

        _metrics.Actions(lifecycle.Actions);
        _metrics.Grants(grants);
        HostingLog.Actions(_logger, lifecycle.Actions);
        if (!owner)
        {
            // Another submission's event, applied here for the order only: its own submission (or, if that instance
            // stopped, the recovery) feeds the projection once, clears the mark and counts the event applied.
            return new EventIntakeResult(EventIntakeOutcome.Applied, lifecycle.Actions, grants);
        }

        if (_activation is not null)
        {
            await _activation.ApplyAsync(communityEvent, cancellationToken).ConfigureAwait(false);
        }

        // Applied: the mark goes even when the caller gives up now (a cancelled clear would only mean one more
        // harmless apply by the recovery).
        await _log.MarkAppliedAsync(communityEvent.Id, CancellationToken.None).ConfigureAwait(false);

        _metrics.Applied();
        HostingLog.Applied(_logger, communityEvent, lifecycle.Actions.Count, grants);
        return new EventIntakeResult(EventIntakeOutcome.Applied, lifecycle.Actions, grants);
    }
}
