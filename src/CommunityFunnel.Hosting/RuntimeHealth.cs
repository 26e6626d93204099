using CommunityFunnel.Members;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting;

/// <summary>
/// The default <see cref="IRuntimeHealth"/>: the outbox's backlog from its store, the scheduler's last tick from the
/// scheduler of this host, against <see cref="HostedRuntimeOptions.Health"/>.
/// </summary>
internal sealed class RuntimeHealth(
    IActionOutbox? outbox,
    RuntimeScheduler scheduler,
    TimeProvider time,
    IOptions<HostedRuntimeOptions> options) : IRuntimeHealth
{
    public async Task<RuntimeHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var limits = o.Health;
        var now = time.GetUtcNow();
        var problems = new List<string>();
        var status = RuntimeHealthStatus.Healthy;
        void Report(RuntimeHealthStatus level, string problem)
        {
            problems.Add(problem);
            status = level > status ? level : status;
        }

        OutboxStatistics? statistics = null;
        if (o.Outbox.Enabled && outbox is not null)
        {
            try
            {
                statistics = await outbox.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Report(RuntimeHealthStatus.Unhealthy, $"the outbox store did not answer: {e.GetType().Name}: {e.Message}");
            }

            if (statistics is { } s)
            {
                if (s.Pending > limits.OutboxBacklogLimit)
                {
                    Report(RuntimeHealthStatus.Degraded, Invariant($"{s.Pending} outbox actions wait for delivery (limit {limits.OutboxBacklogLimit})"));
                }

                if (s.OldestPendingAt is { } oldest && now - oldest > limits.OutboxLagLimit)
                {
                    Report(RuntimeHealthStatus.Degraded, Invariant($"the oldest waiting outbox action was decided {Seconds(now - oldest)} ago (limit {Seconds(limits.OutboxLagLimit)})"));
                }

                if (s.Dead > 0)
                {
                    Report(RuntimeHealthStatus.Degraded, Invariant($"{s.Dead} outbox actions are dead letters"));
                }
            }
        }

        TimeSpan? sinceLastTick = null;
        if (o.RunScheduler)
        {
            if (scheduler.LastTickAt is { } last)
            {
                sinceLastTick = now - last;
                if (sinceLastTick > o.SchedulerPeriod + limits.SchedulerLagLimit)
                {
                    Report(RuntimeHealthStatus.Unhealthy, Invariant($"the scheduler's last tick ended {Seconds(sinceLastTick.Value)} ago (period {Seconds(o.SchedulerPeriod)}, limit {Seconds(limits.SchedulerLagLimit)} more)"));
                }
            }
            else
            {
                Report(RuntimeHealthStatus.Degraded, "the scheduler has not finished a tick yet");
            }

            if (scheduler.LastTickFailures.Count > 0)
            {
                Report(RuntimeHealthStatus.Degraded, "the scheduler's last tick failed in: " + string.Join(", ", scheduler.LastTickFailures));
            }
        }

        return new RuntimeHealthReport(status, problems.Count == 0 ? "healthy" : string.Join("; ", problems))
        {
            Problems = problems,
            Outbox = statistics,
            LastTickAt = o.RunScheduler ? scheduler.LastTickAt : null,
            SinceLastTick = sinceLastTick,
        };
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);

    private static string Seconds(TimeSpan t) => FormattableString.Invariant($"{t.TotalSeconds:0.###} s");
}
