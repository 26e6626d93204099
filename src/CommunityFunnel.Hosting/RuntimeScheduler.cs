using CommunityFunnel.Campaigns;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Advances lifecycle deadlines (<see cref="IMemberLifecycle.AdvanceToNowAsync"/>), the schedules of the draws that are
/// listed or that the draw store's due-time index names (<see cref="IDrawService.AdvanceAsync"/>) and the recurring
/// draws (<see cref="IDrawCampaign.AdvanceAsync"/>) every <see cref="HostedRuntimeOptions.SchedulerPeriod"/> on the host's
/// <see cref="TimeProvider"/>, after applying the events an instance left stored but unapplied
/// (<see cref="HostedRuntimeOptions.RecoveryDelay"/>). Deadlines come from the member store's due-time index
/// (<see cref="IMemberDeadlineIndex"/>), so the ones missed while every instance was down fire in the first tick, in
/// time order; with a store without one, the first tick reloads the deadlines of every stored member into the
/// lifecycle's memory first. A failed step is logged and retried on the next tick; only stopping the host ends the loop.
/// </summary>
internal sealed class RuntimeScheduler : BackgroundService
{
    private readonly EventIntake _intake;
    private readonly IMemberLifecycle _lifecycle;
    private readonly IMemberStore _members;
    private readonly IEventLogStore _log;
    private readonly IDrawService? _draws;
    private const int DueDrawBatch = 100;
    private readonly IDrawDueIndex? _drawIndex;
    private readonly IDrawCampaign? _campaign;
    private readonly ICampaignActionHandler[] _campaignHandlers;
    private readonly IActionOutbox? _outbox;
    private readonly TimeProvider _time;
    private readonly HostedRuntimeOptions _options;
    private readonly HostingMetrics _metrics;
    private readonly ILogger _logger;
    private bool _caughtUp;
    private bool _campaignCaughtUp;
    private List<string> _failures = [];

    public RuntimeScheduler(
        EventIntake intake,
        IMemberLifecycle lifecycle,
        IMemberStore members,
        IEventLogStore log,
        IDrawService? draws,
        IDrawDueIndex? drawIndex,
        IDrawCampaign? campaign,
        IEnumerable<ICampaignActionHandler> campaignHandlers,
        IActionOutbox? outbox,
        TimeProvider time,
        IOptions<HostedRuntimeOptions> options,
        HostingMetrics metrics,
        ILogger<RuntimeScheduler> logger)
    {
        _intake = intake;
        _lifecycle = lifecycle;
        _members = members;
        _log = log;
        _draws = draws;
        _drawIndex = drawIndex;
        _campaign = campaign;
        _campaignHandlers = [.. campaignHandlers];
        _outbox = outbox;
        _time = time;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>When the last tick ended, on the host's clock (<see langword="null"/> before the first).</summary>
    internal DateTimeOffset? LastTickAt { get; private set; }

    /// <summary>The steps that failed in the last tick (empty when it went well).</summary>
    internal IReadOnlyList<string> LastTickFailures { get; private set; } = [];

    /// <summary>Raised after each tick (tests wait on it instead of sleeping).</summary>
    internal event Action<int>? Ticked;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var due = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            _metrics.SchedulerLag(_time.GetUtcNow() - due);
            var actions = await TickAsync(stoppingToken).ConfigureAwait(false);
            Ticked?.Invoke(actions);
            due += _options.SchedulerPeriod;
            var wait = due - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                // Fell behind by a period or more: no burst of ticks (one tick catches up all that is due), the next
                // one is a period from now.
                due = _time.GetUtcNow() + _options.SchedulerPeriod;
                wait = _options.SchedulerPeriod;
            }

            try
            {
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One tick: the events left stored but unapplied, the start-up catch-up (until it has succeeded once), the
    /// deadlines, the draws.
    /// </summary>
    /// <returns>How many member actions the tick decided.</returns>
    internal async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        _failures = [];
        try
        {
            return await RunStepsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LastTickFailures = _failures;
            LastTickAt = _time.GetUtcNow();
        }
    }

    private async Task<int> RunStepsAsync(CancellationToken cancellationToken)
    {
        var actions = 0;
        try
        {
            await _intake.RecoverAsync(_time.GetUtcNow() - _options.RecoveryDelay, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed("recovery", e);
        }

        if (!_caughtUp)
        {
            try
            {
                // A store with a due-time index keeps the deadlines itself: nothing to reload.
                var groups = _members is IMemberDeadlineIndex ? 0 : await ReloadDeadlinesAsync(cancellationToken).ConfigureAwait(false);
                _caughtUp = true;
                var count = await AdvanceDeadlinesAsync(cancellationToken).ConfigureAwait(false);
                actions += count;
                HostingLog.CatchUp(_logger, groups, count);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Failed("catch-up", e);
                return actions;
            }
        }
        else
        {
            try
            {
                actions += await AdvanceDeadlinesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Failed("deadlines", e);
            }
        }

        if (_draws is not null)
        {
            foreach (var drawId in await DueDrawsAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await AdvanceDrawAsync(_draws, drawId, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Failed("draw " + drawId, e);
                }
            }
        }

        if (_campaign is not null)
        {
            try
            {
                await AdvanceCampaignAsync(_campaign, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Failed("campaign", e);
            }
        }

        return actions;
    }

    /// <summary>
    /// The draws to advance: the listed ones, then those the draw store's due-time index names (when it has one), less
    /// the campaign's own instances, which the campaign step closes after it has entered their last tickets. A failed
    /// index look is logged and leaves the listed draws.
    /// </summary>
    private async Task<IReadOnlyList<string>> DueDrawsAsync(CancellationToken cancellationToken)
    {
        if (_drawIndex is null)
        {
            return [.. _options.Draws];
        }

        var due = new List<string>(_options.Draws);
        try
        {
            var seen = new HashSet<string>(due, StringComparer.Ordinal);
            foreach (var drawId in await _drawIndex.ListDueAsync(_time.GetUtcNow(), DueDrawBatch, cancellationToken).ConfigureAwait(false))
            {
                if (_campaign?.FindTemplate(drawId) is null && seen.Add(drawId))
                {
                    due.Add(drawId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed("due draws", e);
        }

        return due;
    }

    /// <summary>
    /// The recurring draws (<see cref="IDrawCampaign.AdvanceAsync"/>) up to now, then the actions it decided. With the
    /// action outbox on they are enqueued under their deterministic ids for the dispatcher to deliver at least once; the
    /// first tick (and the tick after a failed one) first enqueues what the drawn instances stand for
    /// (<see cref="IDrawCampaign.ListActionsAsync"/>), so an action decided just before an instance stopped is not lost,
    /// and the ids already there are left alone. Without the outbox each action goes to every campaign handler once; a
    /// handler's failure is logged and the next handler still gets it.
    /// </summary>
    private async Task AdvanceCampaignAsync(IDrawCampaign campaign, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_outbox is not null && !_campaignCaughtUp)
        {
            var caughtUp = await _outbox.EnqueueAsync(Entries(await campaign.ListActionsAsync(now, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            if (caughtUp > 0)
            {
                HostingLog.CampaignActionsCaughtUp(_logger, caughtUp);
            }
        }

        _campaignCaughtUp = false; // until the advance's actions are safely enqueued
        var advance = await campaign.AdvanceAsync(now, cancellationToken).ConfigureAwait(false);
        if (advance.Created + advance.Closed + advance.Drawn + advance.Forfeited + advance.PrizesGranted + advance.PrizesOverBudget > 0)
        {
            HostingLog.CampaignAdvanced(_logger, advance);
        }

        if (_outbox is not null)
        {
            await _outbox.EnqueueAsync(Entries(advance.Actions), cancellationToken).ConfigureAwait(false);
            _campaignCaughtUp = true;
            return;
        }

        foreach (var action in advance.Actions)
        {
            var id = OutboxActionIds.For(action);
            foreach (var handler in _campaignHandlers)
            {
                try
                {
                    await handler.HandleAsync(action, id, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    HostingLog.CampaignActionFailed(_logger, action, id, e);
                }
            }
        }
    }

    private static List<OutboxEntry> Entries(IReadOnlyList<CampaignAction> actions) =>
        actions.Select(a => new OutboxEntry { Id = OutboxActionIds.For(a), Action = a, DecidedAt = a.At, NextAttemptAt = a.At }).ToList();

    private void Failed(string step, Exception e)
    {
        _failures.Add(step);
        _metrics.TickFailed();
        HostingLog.TickFailed(_logger, step, e);
    }

    private async Task<int> AdvanceDeadlinesAsync(CancellationToken cancellationToken)
    {
        var actions = await _lifecycle.AdvanceToNowAsync(cancellationToken).ConfigureAwait(false);
        _metrics.Actions(actions);
        HostingLog.Actions(_logger, actions);
        return actions.Count;
    }

    /// <summary>
    /// Hands the lifecycle every stored deadline: for each group in the event log, a reconcile with the group's own
    /// stored membership as the snapshot. That snapshot differs from nothing (no events), and the reconcile
    /// schedules the deadline of every stored member of the group.
    /// </summary>
    private async Task<int> ReloadDeadlinesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var groups = await _log.ListGroupsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in groups)
        {
            var records = await _members.ListGroupAsync(group, cancellationToken).ConfigureAwait(false);
            var present = new List<SnapshotMember>(records.Count);
            foreach (var r in records)
            {
                if (r.State is MemberState.Onboarding or MemberState.Active or MemberState.AtRisk)
                {
                    var joined = r.LastJoinedAt ?? r.JoinedAt ?? r.FirstSeenAt;
                    present.Add(new SnapshotMember(r.Member, joined < now ? joined : now));
                }
            }

            await _lifecycle.ReconcileAsync(group, present, now, cancellationToken).ConfigureAwait(false);
        }

        return groups.Count;
    }

    private async Task AdvanceDrawAsync(IDrawService draws, string drawId, CancellationToken cancellationToken)
    {
        var before = await draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false);
        if (before is null || before.State == DrawState.Drawn)
        {
            return;
        }

        var after = await draws.AdvanceAsync(drawId, cancellationToken).ConfigureAwait(false);
        if (before.State == DrawState.Open && after.State != DrawState.Open)
        {
            HostingLog.DrawClosed(_logger, after);
        }

        if (after.State == DrawState.Drawn && after.Proof is { } proof)
        {
            HostingLog.DrawDrawn(_logger, after, proof.Winners.Count);
        }
    }
}
