using System.Text.Json;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Cli.Campaigns;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.SampleHost;

/// <summary>The campaign file of <c>CommunityFunnel:Campaign</c>, read as <c>community-funnel campaign run --campaign</c> reads it.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Rules">Its reward rules and budgets.</param>
/// <param name="Templates">Its draw templates.</param>
/// <param name="TimeZoneId">Its time zone (the file's <c>timeZone</c>, else Asia/Shanghai).</param>
public sealed record LoadedCampaign(string Path, RewardRuleSet Rules, IReadOnlyList<DrawTemplate> Templates, string? TimeZoneId);

/// <summary>
/// Loads a campaign file with the CLI's own parser (src/CommunityFunnel.Cli/Campaigns/CampaignFile.cs, linked into
/// the sample), so the file a rehearsal took is the file the live host takes.
/// </summary>
public static class CampaignLoader
{
    /// <summary>Reads and checks <paramref name="path"/>; every problem is named in one exception that names the file.</summary>
    /// <param name="path">The file (relative paths against the working folder).</param>
    /// <returns>The campaign.</returns>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable, not JSON, or not a valid campaign.</exception>
    public static LoadedCampaign Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"CommunityFunnel:Campaign: cannot read the campaign file '{full}': {e.Message}", e);
        }

        try
        {
            var file = CampaignFile.Parse(text);
            return new LoadedCampaign(full, file.Rules, file.Templates, file.Rules.TimeZone);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidOperationException($"CommunityFunnel:Campaign: the campaign file '{full}' is not valid: {e.Message}", e);
        }
    }
}
