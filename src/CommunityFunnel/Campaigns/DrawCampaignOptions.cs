using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
namespace CommunityFunnel.Campaigns;

/// <summary>The draw templates a host runs (<c>AddDrawTemplates</c>), validated when the host starts together with the reward rules.</summary>
public sealed class DrawCampaignOptions
{
    /// <summary>The templates.</summary>
    public IList<DrawTemplate> Templates { get; } = new List<DrawTemplate>();
}
