using System.Text.Json.Serialization;
using CommunityFunnel.Members;

namespace CommunityFunnel.Hosting;

/// <summary>
/// The hosted runtime's health: the action outbox's backlog, dead letters and lag, and whether this host's scheduler
/// ticks on time, against <see cref="HostedRuntimeOptions.Health"/>. Registered by <c>AddHostedRuntime</c>; an ASP.NET
/// Core host maps it to a health check in a few lines (see docs/hosting.md), this package depending on no health-check
/// package itself.
/// </summary>
public interface IRuntimeHealth
{
    /// <summary>Checks now (one outbox statistics query).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    Task<RuntimeHealthReport> CheckAsync(CancellationToken cancellationToken = default);
}

/// <summary>How healthy the hosted runtime is (serialized by name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuntimeHealthStatus>))]
public enum RuntimeHealthStatus
{
    /// <summary>Every check passed.</summary>
    Healthy,

    /// <summary>Working, but behind or with dead letters: look at <see cref="RuntimeHealthReport.Problems"/>.</summary>
    Degraded,

    /// <summary>Not working: the outbox store did not answer, or the scheduler stopped ticking.</summary>
    Unhealthy,
}

/// <summary>What <see cref="IRuntimeHealth.CheckAsync"/> found.</summary>
/// <param name="Status">The worst finding.</param>
/// <param name="Description">"healthy", or the problems joined by "; ".</param>
public sealed record RuntimeHealthReport(RuntimeHealthStatus Status, string Description)
{
    /// <summary>Each problem found, in words with its figures.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>The outbox's statistics, or <see langword="null"/> when the outbox is off or its store did not answer.</summary>
    public OutboxStatistics? Outbox { get; init; }

    /// <summary>When this host's scheduler last finished a tick (<see langword="null"/>: not yet, or it does not run here).</summary>
    public DateTimeOffset? LastTickAt { get; init; }

    /// <summary>How long ago that was.</summary>
    public TimeSpan? SinceLastTick { get; init; }
}

/// <summary>The limits of <see cref="IRuntimeHealth"/> (<see cref="HostedRuntimeOptions.Health"/>), validated at start.</summary>
public sealed class RuntimeHealthOptions
{
    /// <summary>Degraded when more outbox actions than this wait for delivery (default 1,000; at least 1).</summary>
    public long OutboxBacklogLimit { get; set; } = 1_000;

    /// <summary>Degraded when the oldest waiting outbox action was decided longer ago than this (default 5 min; more than zero).</summary>
    public TimeSpan OutboxLagLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Unhealthy when this host's scheduler last finished a tick longer ago than its period plus this (default 1 min;
    /// more than zero).
    /// </summary>
    public TimeSpan SchedulerLagLimit { get; set; } = TimeSpan.FromMinutes(1);
}
