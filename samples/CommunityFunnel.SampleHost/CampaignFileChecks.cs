using CommunityFunnel.Campaigns;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.Options;

// The CLI's CampaignFile (linked into this project) calls DrawTemplateValidator.Check, which is internal to the core
// library. This stand-in, found first because it sits in CampaignFile's own namespace, runs the same check through the
// public door: the start-time validation of AddDrawTemplates with the file's reward rules.
namespace CommunityFunnel.Cli.Campaigns;

/// <summary>The templates' start-time checks (with the rules), as the host's start runs them.</summary>
internal static class DrawTemplateValidator
{
    /// <summary>The problems of <paramref name="templates"/> against themselves and <paramref name="rules"/>; empty when there are none.</summary>
    public static List<string> Check(IReadOnlyList<DrawTemplate> templates, RewardRuleSet rules)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().AddRewardRules(rules).AddDrawTemplates([.. templates]);
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DrawCampaignOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            const string Prefix = "Draw templates: ";
            return [.. e.Failures.Select(f => f.StartsWith(Prefix, StringComparison.Ordinal) ? f[Prefix.Length..] : f)];
        }
    }
}
