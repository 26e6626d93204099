using CommunityFunnel.Campaigns;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Delivers the action outbox: every <see cref="OutboxOptions.PollPeriod"/> (at once again while claims come back
/// full) it claims due entries for <see cref="OutboxOptions.LeaseTime"/>, hands each to every
/// <see cref="IMemberActionHandler"/> with its id (a campaign's action: every <see cref="ICampaignActionHandler"/>; a grant
/// notice: every <see cref="IRewardGrantHandler"/>), and marks the claim's deliveries together (one write), or each failed with the next attempt after an
/// exponential backoff, or dead after <see cref="OutboxOptions.MaxAttempts"/> failures. At least once: an instance that
/// dies between a handler's success and the mark leaves the entry to be delivered again after its lease.
/// </summary>
internal sealed class OutboxDispatcher : BackgroundService
{
    private readonly IActionOutbox _outbox;
    private readonly IMemberActionHandler[] _handlers;
    private readonly ICampaignActionHandler[] _campaignHandlers;
    private readonly IRewardGrantHandler[] _grantHandlers;
    private readonly TimeProvider _time;
    private readonly OutboxOptions _options;
    private readonly HostingMetrics _metrics;
    private readonly ILogger _logger;

    public OutboxDispatcher(
        IActionOutbox outbox,
        IEnumerable<IMemberActionHandler> handlers,
        IEnumerable<ICampaignActionHandler> campaignHandlers,
        IEnumerable<IRewardGrantHandler> grantHandlers,
        TimeProvider time, IOptions<HostedRuntimeOptions> options, HostingMetrics metrics, ILogger<OutboxDispatcher> logger)
    {
        _outbox = outbox;
        _handlers = [.. handlers];
        _campaignHandlers = [.. campaignHandlers];
        _grantHandlers = [.. grantHandlers];
        _time = time;
        _options = options.Value.Outbox;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Raised after each poll with the number of entries it handled (tests wait on it instead of sleeping).</summary>
    internal event Action<int>? Polled;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            var full = false;
            try
            {
                (handled, full) = await PollAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _metrics.OutboxPollFailed();
                HostingLog.OutboxPollFailed(_logger, e);
            }

            Polled?.Invoke(handled);
            if (full)
            {
                continue; // more are due: no wait
            }

            try
            {
                await Task.Delay(_options.PollPeriod, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One claim and its deliveries.</summary>
    /// <returns>How many entries were handled, and whether the claim was full (more may be due).</returns>
    internal async Task<(int Handled, bool Full)> PollAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var statistics = await _outbox.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        _metrics.OutboxBacklog(statistics, now);
        var claimed = await _outbox.ClaimAsync(_options.InstanceId, now, now + _options.LeaseTime, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        var delivered = new List<OutboxEntry>(claimed.Count);
        try
        {
            foreach (var entry in claimed)
            {
                if (await DeliverAsync(entry, cancellationToken).ConfigureAwait(false))
                {
                    delivered.Add(entry);
                }
            }
        }
        finally
        {
            // The claim's deliveries are marked together, one write; also when stopping midway (the entries not
            // reached yet wait for their lease to run out). A crash before this line delivers them again.
            await MarkDeliveredAsync(delivered).ConfigureAwait(false);
        }

        return (claimed.Count, claimed.Count == _options.BatchSize);
    }

    private async Task MarkDeliveredAsync(List<OutboxEntry> delivered)
    {
        if (delivered.Count == 0)
        {
            return;
        }

        var at = _time.GetUtcNow();
        var taken = await _outbox.MarkDeliveredAsync(delivered.Select(e => e.Id).ToList(), _options.InstanceId, at, CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < delivered.Count; i++)
        {
            if (taken[i])
            {
                _metrics.OutboxDelivered(delivered[i], at);
            }
            else
            {
                HostingLog.OutboxLeaseLost(_logger, delivered[i]);
            }
        }
    }

    /// <summary>Hands the entry to its handlers; on a failure records it (retry or dead letter).</summary>
    /// <returns>Whether every handler took it (the caller marks it delivered).</returns>
    private async Task<bool> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var delivery = new MemberActionDelivery(entry.Id, entry.Attempts + 1);
        Exception? failure = null;
        try
        {
            switch (entry.Action)
            {
                case MemberAction action:
                    foreach (var handler in _handlers)
                    {
                        await handler.HandleAsync(action, delivery, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case CampaignAction action:
                    foreach (var handler in _campaignHandlers)
                    {
                        await handler.HandleAsync(action, entry.Id, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case RewardGranted notice:
                    foreach (var handler in _grantHandlers)
                    {
                        await handler.HandleAsync(notice, entry.Id, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"No handler takes a {entry.Action.GetType().Name}.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // stopping: the lease runs out and the entry is delivered again
        }
#pragma warning disable CA1031 // a handler's failure is recorded on the entry and retried
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }

        if (failure is null)
        {
            return true;
        }

        var at = _time.GetUtcNow();
        var failures = entry.Attempts + 1;
        DateTimeOffset? retryAt = failures >= _options.MaxAttempts ? null : at + _options.BackoffAfter(failures);
        var marked = await _outbox.MarkFailedAsync(entry.Id, _options.InstanceId, at, failure.GetType().Name + ": " + failure.Message, retryAt, cancellationToken).ConfigureAwait(false);
        _metrics.OutboxFailed(entry, dead: retryAt is null);
        if (retryAt is { } retry)
        {
            HostingLog.OutboxDeliveryFailed(_logger, entry, failures, retry, failure);
        }
        else
        {
            HostingLog.OutboxDeadLetter(_logger, entry, failures, failure);
        }

        if (!marked)
        {
            HostingLog.OutboxLeaseLost(_logger, entry);
        }

        return false;
    }
}

/// <summary>Runs the <see cref="OutboxDispatcher"/> when the outbox is on and this host delivers.</summary>
internal sealed class OutboxDispatcherHost(IServiceProvider services, IOptions<HostedRuntimeOptions> options) : IHostedService
{
    private OutboxDispatcher? _dispatcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Outbox;
        if (!o.Enabled || !o.RunDispatcher)
        {
            return Task.CompletedTask;
        }

        _dispatcher = (OutboxDispatcher)services.GetService(typeof(OutboxDispatcher))!;
        return _dispatcher.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _dispatcher is null ? Task.CompletedTask : _dispatcher.StopAsync(cancellationToken);
}
