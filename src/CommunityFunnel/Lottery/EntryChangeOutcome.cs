using System.Text.Json.Serialization;

namespace CommunityFunnel.Lottery;

/// <summary>What a store did with a <see cref="DrawEntryChange"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EntryChangeOutcome>))]
public enum EntryChangeOutcome
{
    /// <summary>The change was applied.</summary>
    Applied,

    /// <summary>No draw has that id.</summary>
    DrawNotFound,

    /// <summary>The draw is not open (not yet opened, or closed): nothing changed.</summary>
    DrawNotOpen,

    /// <summary>The entry is already in the draw (for an add).</summary>
    AlreadyEntered,

    /// <summary>The entry is not in the draw (for more tickets or a withdrawal).</summary>
    NotEntered,

    /// <summary>The entry would hold more tickets than allowed.</summary>
    TicketLimit,

    /// <summary>The draw would hold more entries or tickets than allowed.</summary>
    DrawFull,

    /// <summary>For <see cref="DrawEntryChangeKind.SetTickets"/>: the entry does not hold the expected tickets (another writer changed it); nothing changed.</summary>
    Changed,
}
