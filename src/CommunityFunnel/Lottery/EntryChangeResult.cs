namespace CommunityFunnel.Lottery;

/// <summary>The result of a change to a draw's entries.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="EntryCount">The draw's entry count after the change.</param>
/// <param name="EntryTickets">The entry's tickets after the change (0 when withdrawn or not entered).</param>
public readonly record struct EntryChangeResult(EntryChangeOutcome Outcome, int EntryCount, long EntryTickets);
