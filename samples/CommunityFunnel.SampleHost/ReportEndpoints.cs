using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// <c>GET /reports/activation?asOf=ISO&amp;by=channel|group|day</c>: the activation report over the stored event log
/// (<see cref="IEventLogStore.ReadAsync"/>, events before <c>asOf</c>) with the host's configured window, zone and
/// rejoin policy (<see cref="IActivationReporter"/>). <c>asOf</c> defaults to the host clock's now; <c>by</c> to no
/// breakdown (<c>none</c>).
/// </summary>
public static class ReportEndpoints
{
    /// <summary>Maps <c>GET /reports/activation</c>.</summary>
    /// <param name="app">The endpoints.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/activation", ActivationAsync);
        return app;
    }

    private static async Task<IResult> ActivationAsync(
        string? asOf, string? by, IEventLogStore log, IActivationReporter reporter, TimeProvider time, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        if (asOf is not null && !Instants.TryParse(asOf, out at))
        {
            return BadParameter("asOf", $"'{asOf}' is not an ISO-8601 instant with an offset, e.g. 2026-11-02T00:00:00+08:00.");
        }

        if (at < CommunityEvent.MinAt || at > CommunityEvent.MaxAt)
        {
            return BadParameter("asOf", $"'{asOf}' is outside {CommunityEvent.MinAt:O} to {CommunityEvent.MaxAt:O}.");
        }

        ActivationBreakdownBy breakdown;
        switch (by?.ToLowerInvariant())
        {
            case null or "none": breakdown = ActivationBreakdownBy.None; break;
            case "channel": breakdown = ActivationBreakdownBy.Channel; break;
            case "group": breakdown = ActivationBreakdownBy.Group; break;
            case "day": breakdown = ActivationBreakdownBy.Day; break;
            default: return BadParameter("by", $"'{by}' is not one of none, channel, group, day.");
        }

        var events = new List<CommunityEvent>();
        await foreach (var e in log.ReadAsync(CommunityEvent.MinAt, at, cancellationToken).ConfigureAwait(false))
        {
            events.Add(e);
        }

        var query = reporter.CreateQuery(at) with { BreakdownBy = breakdown };
        return Results.Ok(reporter.Calculate(events, query));
    }

    private static IResult BadParameter(string name, string detail) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Bad query parameter '{name}'",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["parameter"] = name });
}
