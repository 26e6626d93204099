using System.Globalization;
using CommunityFunnel.Campaigns;

namespace CommunityFunnel.Hosting;

/// <summary>The deterministic ids of campaign actions (the format is documented on <see cref="ICampaignActionHandler"/>).</summary>
internal static class CampaignActionIds
{
    public static string For(CampaignAction action) => action.Kind switch
    {
        CampaignActionKind.DrawPublished => string.Create(
            CultureInfo.InvariantCulture, $"{action.DrawId.Length}:{action.DrawId}|published|{action.Proof?.Winners.Count ?? 0}"),
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{action.DrawId.Length}:{action.DrawId}|won|{action.Tier?.Length ?? 0}:{action.Tier}|{action.Slot}|{action.Member?.Length ?? 0}:{action.Member}"),
    };
}
