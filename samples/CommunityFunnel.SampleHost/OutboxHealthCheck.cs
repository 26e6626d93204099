using System.Text.Json;
using CommunityFunnel.Members;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// <c>GET /health</c> for now: an ASP.NET Core health check on the action outbox's backlog
/// (<see cref="IActionOutbox.GetStatisticsAsync"/>). Healthy up to the threshold, Degraded above it, Unhealthy when the
/// store cannot be read. Everything of it is in this file, to be swapped for the library's own health API when
/// CommunityFunnel.Hosting has one.
/// </summary>
public sealed class OutboxHealthCheck(IActionOutbox outbox, TimeProvider time, long degradedAbove) : IHealthCheck
{
    /// <summary>The check's name in the report.</summary>
    public const string Name = "outbox";

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OutboxStatistics statistics;
        try
        {
            statistics = await outbox.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // any failure to read the store is the unhealthy answer itself
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The action outbox cannot be read.", e);
        }

        var lag = statistics.OldestPendingAt is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;
        var data = new Dictionary<string, object>
        {
            ["pending"] = statistics.Pending,
            ["dead"] = statistics.Dead,
            ["oldestPendingAgeSeconds"] = lag,
            ["degradedAbove"] = degradedAbove,
        };
        return statistics.Pending > degradedAbove
            ? HealthCheckResult.Degraded($"{statistics.Pending} actions wait for delivery (more than {degradedAbove}).", data: data)
            : HealthCheckResult.Healthy($"{statistics.Pending} actions wait for delivery.", data);
    }
}

/// <summary>Registers and maps <see cref="OutboxHealthCheck"/>.</summary>
public static class OutboxHealthCheckExtensions
{
    /// <summary>Adds the outbox backlog check.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="degradedAbove">Pending entries above which the check says Degraded.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddOutboxBacklogCheck(this IHealthChecksBuilder builder, long degradedAbove)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            OutboxHealthCheck.Name,
            sp => new OutboxHealthCheck(sp.GetRequiredService<IActionOutbox>(), sp.GetRequiredService<TimeProvider>(), degradedAbove),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["outbox"]));
    }

    /// <summary>Maps the health endpoint: 200 for Healthy and Degraded, 503 for Unhealthy, a JSON body with the figures.</summary>
    /// <param name="app">The endpoints.</param>
    /// <param name="pattern">The path, e.g. <c>/health</c>.</param>
    /// <returns>The endpoint's builder.</returns>
    public static IEndpointConventionBuilder MapOutboxHealthCheck(this IEndpointRouteBuilder app, string pattern) =>
        app.MapHealthChecks(pattern, new HealthCheckOptions { ResponseWriter = WriteAsync });

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
