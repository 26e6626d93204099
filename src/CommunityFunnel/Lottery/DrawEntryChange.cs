namespace CommunityFunnel.Lottery;

/// <summary>
/// One change to a draw's entries, with the limits the store must enforce in the same atomic step as the check that
/// the draw is still open.
/// </summary>
/// <param name="Kind">What changes.</param>
/// <param name="EntryId">The entry's id.</param>
/// <param name="Tickets">Tickets added (ignored for <see cref="DrawEntryChangeKind.Withdraw"/>; for <see cref="DrawEntryChangeKind.SetTickets"/> the count afterwards).</param>
/// <param name="MaxTicketsPerEntry">The most tickets one entry may hold after the change.</param>
/// <param name="MaxEntries">The most entries the draw may hold after the change.</param>
/// <param name="MaxTotalWeight">The most tickets the whole draw may hold after the change.</param>
public sealed record DrawEntryChange(
    DrawEntryChangeKind Kind, string EntryId, long Tickets, long MaxTicketsPerEntry, int MaxEntries, long MaxTotalWeight)
{
    /// <summary>For <see cref="DrawEntryChangeKind.SetTickets"/>: the tickets the entry must hold now (0: not entered) for the change to apply.</summary>
    public long ExpectedTickets { get; init; }
}
