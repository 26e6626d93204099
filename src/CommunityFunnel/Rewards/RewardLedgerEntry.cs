namespace CommunityFunnel.Rewards;

/// <summary>One append-only ledger entry: a grant, or the reversal of one.</summary>
public sealed record RewardLedgerEntry
{
    /// <summary>
    /// The idempotency key: <c>rule|member|unit</c>, where the unit is the local date, period or triggering event
    /// id. A reversal's key is its grant's key followed by <c>|reversed</c>. Unique in a ledger.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>Grant or reversal.</summary>
    public RewardEntryKind Kind { get; init; }

    /// <summary>The rule that fired.</summary>
    public required string RuleId { get; init; }

    /// <summary>The member rewarded.</summary>
    public required string Member { get; init; }

    /// <summary>When: the triggering event's instant (for a reversal, the rejecting event's).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The id of the event that triggered the entry.</summary>
    public required string EventId { get; init; }

    /// <summary>What was given (draw ids resolved).</summary>
    public required IReadOnlyList<RewardSpec> Rewards { get; init; }

    /// <summary>What the entry consumed (a reversal lists the same counters: it gives them back).</summary>
    public required IReadOnlyList<RewardCounter> Counters { get; init; }

    /// <summary>When the entry's coupons expire (the earliest, if several); <see langword="null"/> when none expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>For a reversal: the key of the grant it reverses.</summary>
    public string? Reverses { get; init; }

    /// <summary>The <see cref="EventId"/> prefix of a reversal by which a closed draw refused a ticket grant.</summary>
    internal const string DrawClosedRefusalPrefix = "refused:draw_closed:";

    /// <summary>
    /// For a reversal by which a draw refused a ticket grant: why (the draw had closed); else <see langword="null"/>.
    /// Read from <see cref="EventId"/>, which such a reversal sets to <c>refused:draw_closed:</c> and the draw's id.
    /// </summary>
    public TicketRefusalReason? Refusal =>
        Kind == RewardEntryKind.Reversal && EventId.StartsWith(DrawClosedRefusalPrefix, StringComparison.Ordinal)
            ? TicketRefusalReason.DrawClosed
            : null;
}
