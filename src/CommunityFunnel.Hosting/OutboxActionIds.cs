using System.Globalization;
using CommunityFunnel.Campaigns;

namespace CommunityFunnel.Hosting;

/// <summary>
/// The deterministic ids of the actions the hosted runtime enqueues itself: campaign actions (the format is documented on
/// <see cref="ICampaignActionHandler"/>) and grant notices (on <see cref="IRewardGrantHandler"/>). Member actions' ids
/// are the core's <c>MemberActionIds</c>.
/// </summary>
internal static class OutboxActionIds
{
    /// <summary>A grant notice's id: <c>granted|len:key</c>, the grant's ledger key.</summary>
    public static string GrantNotice(string key) => string.Create(CultureInfo.InvariantCulture, $"granted|{key.Length}:{key}");

    public static string For(CampaignAction action) => action.Kind switch
    {
        CampaignActionKind.DrawPublished => string.Create(
            CultureInfo.InvariantCulture, $"{action.DrawId.Length}:{action.DrawId}|published|{action.Proof?.Winners.Count ?? 0}"),
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{action.DrawId.Length}:{action.DrawId}|won|{action.Tier?.Length ?? 0}:{action.Tier}|{action.Slot}|{action.Member?.Length ?? 0}:{action.Member}"),
    };
}
