namespace CommunityFunnel.Rewards;

/// <summary>What a reward engine has done so far.</summary>
public sealed class RewardStatistics
{
    /// <summary>Events processed.</summary>
    public long Events { get; internal set; }

    /// <summary>Grants appended.</summary>
    public long Grants { get; internal set; }

    /// <summary>Firings whose grant was already in the ledger (replays, duplicates).</summary>
    public long AlreadyGranted { get; internal set; }

    /// <summary>Firings refused because a budget was used up.</summary>
    public long BudgetExhausted { get; internal set; }

    /// <summary>Firings refused by a per-member or per-rule cap.</summary>
    public long LimitReached { get; internal set; }

    /// <summary>Firings for members the rule's eligibility leaves out.</summary>
    public long Ineligible { get; internal set; }

    /// <summary>Grants reversed by a later rejection.</summary>
    public long Reversals { get; internal set; }

    /// <summary>
    /// Events that arrived too late for an order-dependent trigger's state (an earlier period than the member's
    /// current one, or a check-in more than 63 days before the latest): not counted there; a replay sorts them in.
    /// </summary>
    public long TooLate { get; internal set; }
}
