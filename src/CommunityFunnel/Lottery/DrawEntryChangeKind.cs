using System.Text.Json.Serialization;

namespace CommunityFunnel.Lottery;

/// <summary>The kinds of change to a draw's entries.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DrawEntryChangeKind>))]
public enum DrawEntryChangeKind
{
    /// <summary>A new entry with its first tickets.</summary>
    Add,

    /// <summary>More tickets for an existing entry.</summary>
    AddTickets,

    /// <summary>The entry leaves the draw.</summary>
    Withdraw,

    /// <summary>
    /// The entry holds exactly <see cref="DrawEntryChange.Tickets"/> afterwards (0: it leaves; entered when absent), but
    /// only if it holds <see cref="DrawEntryChange.ExpectedTickets"/> now (0: not entered); otherwise nothing changes and
    /// the outcome is <see cref="EntryChangeOutcome.Changed"/>. A compare-and-set: two writers working from the same
    /// reading change the entry once.
    /// </summary>
    SetTickets,
}
