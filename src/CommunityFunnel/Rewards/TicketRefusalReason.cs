using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>Why a ticket grant was refused by its draw (recorded in the ledger as the grant's reversal, <see cref="RewardLedgerEntry.Refusal"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketRefusalReason>))]
public enum TicketRefusalReason
{
    /// <summary>The draw had closed: the grant came at or after its close, and its entries are frozen.</summary>
    DrawClosed,
}
