namespace CommunityFunnel.Rewards;

/// <summary>
/// A grant as the engine decides it, without its strings: <see cref="Source"/> (the rule) rebuilds the
/// <see cref="RewardLedgerEntry"/>, its key and its counters from these fields alone, so the in-memory ledger keeps
/// this struct and materialises the entry only when asked (<see cref="IRewardLedger.GetEntriesAsync"/>).
/// </summary>
/// <param name="Source">The rule that fired; rebuilds the entry.</param>
/// <param name="Member">The member rewarded.</param>
/// <param name="EventId">The triggering event's id (the unit of <see cref="RewardGrantUnit.Event"/> keys).</param>
/// <param name="At">The triggering event's instant.</param>
/// <param name="Unit">What the key's unit names.</param>
/// <param name="UnitDay">The <see cref="DateOnly.DayNumber"/> of the key's date or period start (0 when the unit has none).</param>
/// <param name="GrantDay">The <see cref="DateOnly.DayNumber"/> of the local day the grant counts for (caps' periods, draw ids, expiry).</param>
internal readonly record struct CompactRewardGrant(
    IRewardGrantSource Source,
    string Member,
    string EventId,
    DateTimeOffset At,
    RewardGrantUnit Unit,
    int UnitDay,
    int GrantDay);
