using System.Text.Json.Serialization;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Campaigns;

/// <summary>What a <see cref="CampaignAction"/> asks the host to do.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CampaignActionKind>))]
public enum CampaignActionKind
{
    /// <summary>Tell a winner what they won (and, with a claim period, until when to claim it).</summary>
    PrizeWon,

    /// <summary>Announce a draw's result in the group, with its proof (again after each forfeit).</summary>
    DrawPublished,
}
