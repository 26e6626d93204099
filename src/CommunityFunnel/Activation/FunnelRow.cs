namespace CommunityFunnel.Activation;

/// <summary>One row of a funnel report: a channel, a group, a join day, or the total.</summary>
/// <param name="Key">The channel (<c>(none)</c> when missing), the group id, the join day <c>yyyy-MM-dd</c>, or <c>(all)</c>.</param>
/// <param name="Attracted">
/// The attract step: distinct visitors (group and visitor id, compared exactly) of the row's <c>invite_viewed</c>
/// events in the cohort range and before <c>asOf</c> (event-log/v1.1); else the count the host gave in
/// <see cref="FunnelQuery.Attracted"/>; else <see langword="null"/>: not measured. For the total, the sum over the
/// rows that have it; a row per join day never has it.
/// </param>
/// <param name="AttractedJoined">
/// The joins counted against <paramref name="Attracted"/>: the row's <paramref name="Joined"/> when it is measured
/// (for the total, the sum over measured rows), else <see langword="null"/>.
/// </param>
/// <param name="JoinCi95">
/// The 95% Wilson score interval of <paramref name="JoinRate"/>, or <see langword="null"/> when not measured, nobody
/// was attracted, or there are more joins than visitors (the log then breaks the rate's premise that every join was
/// one visitor).
/// </param>
/// <param name="Joined">Member joins (staff and bots left out) before <c>asOf</c> in the cohort.</param>
/// <param name="Eligible">Joined members whose window was over at <c>asOf</c>.</param>
/// <param name="Pending">Joined members whose window was still open at <c>asOf</c>.</param>
/// <param name="Activated">Eligible members with a qualifying event within <c>W</c> of joining.</param>
/// <param name="Converted">Joined members with an <c>order</c> at or after joining and before <c>asOf</c>.</param>
/// <param name="Excluded">Joins of staff and bots.</param>
/// <param name="JoinRate">The scan → join rate <paramref name="AttractedJoined"/> / <paramref name="Attracted"/>, or <see langword="null"/> when not measured or nobody was attracted.</param>
/// <param name="ActivationRate"><paramref name="Activated"/> / <paramref name="Eligible"/>, or <see langword="null"/>.</param>
/// <param name="ActivationCi95">The 95% Wilson score interval of <paramref name="ActivationRate"/>, or <see langword="null"/>.</param>
/// <param name="ConversionRate"><paramref name="Converted"/> / <paramref name="Joined"/>, or <see langword="null"/>.</param>
/// <param name="MedianTimeToActivate">Median time from joining to the first qualifying event, over the activated.</param>
/// <param name="MedianTimeToConvert">Median time from joining to the first order, over the converted.</param>
public sealed record FunnelRow(
    string Key,
    long? Attracted,
    long? AttractedJoined,
    ConfidenceInterval? JoinCi95,
    long Joined,
    long Eligible,
    long Pending,
    long Activated,
    long Converted,
    long Excluded,
    double? JoinRate,
    double? ActivationRate,
    ConfidenceInterval? ActivationCi95,
    double? ConversionRate,
    TimeSpan? MedianTimeToActivate,
    TimeSpan? MedianTimeToConvert);
