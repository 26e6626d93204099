namespace CommunityFunnel.Activation;

/// <summary>The activation rate known at <see cref="AsOf"/> (event-log/v1, "The 24-hour activation rate").</summary>
/// <param name="AsOf">The query's <c>asOf</c>.</param>
/// <param name="Window">The activation window <c>W</c>.</param>
/// <param name="Eligible">Member joins in the cohort whose window was over at <c>asOf</c>.</param>
/// <param name="Activated">Eligible joins with a qualifying event of the same group and member in <c>[joinAt, joinAt + W)</c>.</param>
/// <param name="Pending">Member joins in the cohort whose window was still open at <c>asOf</c>: not in the rate.</param>
/// <param name="Excluded">Joins of staff and bots in the cohort: neither pending nor eligible.</param>
/// <param name="Duplicates">Events ignored because their id had been seen before.</param>
/// <param name="Rate"><paramref name="Activated"/> / <paramref name="Eligible"/>, or <see langword="null"/> when nothing is eligible.</param>
/// <param name="Ci95">The 95% Wilson score interval of <paramref name="Rate"/>, or <see langword="null"/> when nothing is eligible.</param>
/// <param name="Breakdown">One row per key with at least one join, ordered by key (ordinal); empty without a breakdown.</param>
public sealed record ActivationReport(
    DateTimeOffset AsOf,
    TimeSpan Window,
    long Eligible,
    long Activated,
    long Pending,
    long Excluded,
    long Duplicates,
    double? Rate,
    ConfidenceInterval? Ci95,
    IReadOnlyList<ActivationBreakdownRow> Breakdown);
