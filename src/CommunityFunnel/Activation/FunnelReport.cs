namespace CommunityFunnel.Activation;

/// <summary>The funnel known at <see cref="AsOf"/>: per channel or group, per join day, and in total.</summary>
/// <param name="AsOf">The query's <c>asOf</c>.</param>
/// <param name="Window">The activation window <c>W</c>.</param>
/// <param name="By">What <paramref name="Rows"/> are keyed by: channel or group.</param>
/// <param name="Duplicates">Events ignored because their id had been seen before.</param>
/// <param name="Total">All rows together, keyed <c>(all)</c>.</param>
/// <param name="Rows">One row per channel or group with at least one join, by key (ordinal).</param>
/// <param name="Days">One row per local join day (the query's zone) with at least one join, in date order: the cohort table.</param>
public sealed record FunnelReport(
    DateTimeOffset AsOf,
    TimeSpan Window,
    ActivationBreakdownBy By,
    long Duplicates,
    FunnelRow Total,
    IReadOnlyList<FunnelRow> Rows,
    IReadOnlyList<FunnelRow> Days);
