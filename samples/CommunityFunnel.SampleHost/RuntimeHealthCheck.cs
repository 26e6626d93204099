using System.Text.Json;
using CommunityFunnel.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// <c>GET /health</c>: an ASP.NET Core health check over the runtime's own <see cref="IRuntimeHealth"/> (outbox backlog,
/// lag and dead letters, this host's scheduler ticks, against <see cref="HostedRuntimeOptions.Health"/>). Healthy and
/// Degraded answer 200, Unhealthy 503; the body carries the problems in words and the outbox figures. Everything of it
/// is in this file.
/// </summary>
public sealed class RuntimeHealthCheck(IRuntimeHealth health) : IHealthCheck
{
    /// <summary>The check's name in the report.</summary>
    public const string Name = "runtime";

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await health.CheckAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["problems"] = report.Problems,
        };
        if (report.Outbox is { } outbox)
        {
            data["pending"] = outbox.Pending;
            data["dead"] = outbox.Dead;
            if (outbox.OldestPendingAt is { } oldest)
            {
                data["oldestPendingAt"] = oldest;
            }
        }

        if (report.LastTickAt is { } tick)
        {
            data["lastTickAt"] = tick;
        }

        var status = report.Status switch
        {
            RuntimeHealthStatus.Healthy => HealthStatus.Healthy,
            RuntimeHealthStatus.Degraded => HealthStatus.Degraded,
            _ => HealthStatus.Unhealthy,
        };
        return new HealthCheckResult(status, report.Description, data: data);
    }
}

/// <summary>Registers and maps <see cref="RuntimeHealthCheck"/>.</summary>
public static class RuntimeHealthCheckExtensions
{
    /// <summary>Adds the runtime's health as an ASP.NET Core health check.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddRuntimeHealthCheck(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<RuntimeHealthCheck>(RuntimeHealthCheck.Name, tags: ["communityfunnel"]);
    }

    /// <summary>Maps the health endpoint: 200 for Healthy and Degraded, 503 for Unhealthy, a JSON body with each check.</summary>
    /// <param name="app">The endpoints.</param>
    /// <param name="pattern">The path, e.g. <c>/health</c>.</param>
    /// <returns>The endpoint's builder.</returns>
    public static IEndpointConventionBuilder MapRuntimeHealthCheck(this IEndpointRouteBuilder app, string pattern) =>
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
