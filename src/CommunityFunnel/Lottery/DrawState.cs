using System.Text.Json.Serialization;

namespace CommunityFunnel.Lottery;

/// <summary>Where a draw is in its lifecycle. Each state only moves forward.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DrawState>))]
public enum DrawState
{
    /// <summary>Created: tiers and schedule fixed, seed generated, commitment published. No entries yet.</summary>
    Created,

    /// <summary>Open: entries are added, given more tickets or withdrawn.</summary>
    Open,

    /// <summary>Closed: entries frozen, entries root published. Waiting for public entropy.</summary>
    Closed,

    /// <summary>Public entropy supplied (fixed after the close). Ready to draw.</summary>
    EntropySupplied,

    /// <summary>Drawn: the proof is published; forfeits draw replacements into it.</summary>
    Drawn,
}
