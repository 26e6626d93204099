namespace CommunityFunnel.Activation;

/// <summary>One key of an activation breakdown: its joins counted as in the totals.</summary>
/// <param name="Key">The channel (<c>(none)</c> when missing), the group id, or the join day as <c>yyyy-MM-dd</c>.</param>
/// <param name="Eligible">Joins whose window was over at <c>asOf</c>.</param>
/// <param name="Activated">Eligible joins with a qualifying event in their window.</param>
/// <param name="Pending">Joins whose window was still open at <c>asOf</c>.</param>
/// <param name="Excluded">Joins of staff or bots.</param>
/// <param name="Rate"><paramref name="Activated"/> / <paramref name="Eligible"/>, or <see langword="null"/> when nothing is eligible.</param>
/// <param name="Ci95">The 95% Wilson score interval of <paramref name="Rate"/>, or <see langword="null"/> when nothing is eligible.</param>
/// <param name="Attribution">How this key's joins (excluded, pending and eligible alike) were attributed to their channel.</param>
public sealed record ActivationBreakdownRow(
    string Key,
    long Eligible,
    long Activated,
    long Pending,
    long Excluded,
    double? Rate,
    ConfidenceInterval? Ci95,
    JoinAttributionCounts Attribution);
