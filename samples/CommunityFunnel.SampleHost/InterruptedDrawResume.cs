using CommunityFunnel.Campaigns;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// A work-around in the sample, on start: finishes the campaign draws an instance left half way through their close
/// when it was killed, which the campaign step itself does not pick up again (see docs/sample-host.md, "Known limits").
/// A draw stored <c>Closed</c> without its entries root gets its close resumed (<see cref="IDrawService.CloseAsync"/>
/// publishes the root), and one stored <c>EntropySupplied</c> is drawn (<see cref="IDrawService.AdvanceAsync"/>); the
/// next scheduler tick grants its prizes as usual. Every step is a conditional write of the draw store, so an instance
/// doing the same at the same moment changes nothing twice. Off with <c>CommunityFunnel:Sample:ResumeInterruptedDraws=false</c>.
/// </summary>
public sealed partial class InterruptedDrawResume(
    IDrawCampaign campaign, IDrawService draws, IRewardLedger ledger, ILogger<InterruptedDrawResume> logger) : IHostedService
{
    /// <summary>The log event id of a draw resumed (fields <c>Draw</c>, <c>Before</c>, <c>After</c>).</summary>
    public const int ResumedEventId = 1721;

    private Task? _running;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => ResumeAsync(CancellationToken.None), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Resumes every interrupted campaign draw; returns how many it moved on.</summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>The number of draws resumed.</returns>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken)
    {
        var resumed = 0;
        try
        {
            foreach (var drawId in RewardDraws.DrawIds(await ledger.GetEntriesAsync(cancellationToken).ConfigureAwait(false)))
            {
                if (campaign.FindTemplate(drawId) is null || await draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false) is not { } before)
                {
                    continue;
                }

                var after = before;
                if (after is { State: DrawState.Closed, EntriesRoot: null })
                {
                    after = await draws.CloseAsync(drawId, cancellationToken).ConfigureAwait(false);
                }

                if (after.State == DrawState.EntropySupplied)
                {
                    after = await draws.AdvanceAsync(drawId, cancellationToken).ConfigureAwait(false);
                }

                if (!ReferenceEquals(after, before))
                {
                    resumed++;
                    Resumed(logger, drawId, before.State, before.EntriesRoot is not null, after.State);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(logger, e);   // a conflicting write by another instance, or the store down: the next start tries again
        }

        return resumed;
    }

    [LoggerMessage(EventId = ResumedEventId, EventName = "InterruptedDrawResumed", Level = LogLevel.Warning,
        Message = "Resumed the interrupted close of {Draw}: it was {Before} (entries root stored: {HadRoot}), now {After}")]
    private static partial void Resumed(ILogger logger, string draw, DrawState before, bool hadRoot, DrawState after);

    [LoggerMessage(EventId = 1722, EventName = "InterruptedDrawResumeFailed", Level = LogLevel.Error,
        Message = "Resuming interrupted draws failed")]
    private static partial void Failed(ILogger logger, Exception exception);
}
