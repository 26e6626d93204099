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
}
