using System.Globalization;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Campaigns;

/// <summary>
/// Checks the draw templates at start against themselves and the reward rules, reporting every problem in one
/// message: a rule granting tickets for a draw that no template matches is an error naming both.
/// </summary>
internal sealed class DrawTemplateValidator(IOptions<RewardsOptions> rewards) : IValidateOptions<DrawCampaignOptions>
{
    public ValidateOptionsResult Validate(string? name, DrawCampaignOptions options)
    {
        var errors = Check(options.Templates.ToList(), rewards.Value.ToRuleSet());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => "Draw templates: " + e));
    }

    internal static List<string> Check(IReadOnlyList<DrawTemplate> templates, RewardRuleSet rules)
    {
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var budgets = rules.Budgets.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < templates.Count; i++)
        {
            var t = templates[i];
            if (t is null)
            {
                errors.Add($"templates[{i}]: is null");
                continue;
            }

            var at = $"templates[{(string.IsNullOrEmpty(t.Id) ? i.ToString(CultureInfo.InvariantCulture) : t.Id)}]";
            if (string.IsNullOrWhiteSpace(t.Id))
            {
                errors.Add($"{at}.id: is required");
            }
            else if (!ids.Add(t.Id))
            {
                errors.Add($"{at}.id: is used by another template");
            }

            var period = t.DrawIdPattern is null ? null : DrawIdPlaceholders.PeriodOf(t.DrawIdPattern);
            if (period is null)
            {
                errors.Add($"{at}.drawIdPattern: must hold exactly one of {{date}}, {{week}}, {{month}}, it is '{t.DrawIdPattern}'");
            }
            else
            {
                if (period == RewardPeriod.Day && (t.OpensOn is not null || t.ClosesOn is not null))
                {
                    errors.Add($"{at}: opensOn and closesOn (weekdays) do not apply to a daily draw ({{date}})");
                }
                else
                {
                    // Every period of the pattern has the same shape; a sample instance shows whether it closes after it opens.
                    var sample = period == RewardPeriod.Month ? new DateOnly(2026, 2, 1) : new DateOnly(2026, 2, 2);
                    var (opens, closes) = DrawCampaign.Window(t, sample, TimeZoneInfo.Utc);
                    if (closes <= opens)
                    {
                        errors.Add($"{at}: closes ({t.ClosesOn?.ToString() ?? "after the period"} {t.ClosesAt.ToString("HH:mm", CultureInfo.InvariantCulture)}) before it opens ({t.OpensOn?.ToString() ?? "the period's first day"} {t.OpensAt.ToString("HH:mm", CultureInfo.InvariantCulture)})");
                    }
                }

                foreach (var other in templates.Take(i))
                {
                    if (other?.DrawIdPattern == t.DrawIdPattern)
                    {
                        errors.Add($"{at}.drawIdPattern: '{t.DrawIdPattern}' is also the pattern of template '{other!.Id}'");
                    }
                }
            }

            if (t.Prizes is null || t.Prizes.Count == 0)
            {
                errors.Add($"{at}.prizes: must list at least one tier");
            }
            else
            {
                var tiers = new HashSet<string>(StringComparer.Ordinal);
                for (var p = 0; p < t.Prizes.Count; p++)
                {
                    var prize = t.Prizes[p];
                    var pat = $"{at}.prizes[{p}]";
                    if (string.IsNullOrEmpty(prize?.Tier) || !tiers.Add(prize.Tier))
                    {
                        errors.Add($"{pat}.tier: must be non-empty and unique in the template");
                    }

                    if (prize is null)
                    {
                        continue;
                    }

                    if (prize.Count < 1)
                    {
                        errors.Add($"{pat}.count: must be at least 1, it is {prize.Count}");
                    }

                    if (prize.Reward is null)
                    {
                        errors.Add($"{pat}.reward: is required");
                        continue;
                    }

                    if (prize.Reward.Kind == RewardKind.Tickets)
                    {
                        errors.Add($"{pat}.reward.kind: a prize is a coupon, points or a physical prize, not tickets");
                    }

                    RewardRuleValidator.ValidateRewards([prize.Reward], pat, errors);
                }
            }

            if (t.MaxTicketsPerEntry is < 1 or > uint.MaxValue)
            {
                errors.Add($"{at}.maxTicketsPerEntry: must be 1 to {uint.MaxValue}, it is {t.MaxTicketsPerEntry}");
            }

            if (t.ClosesAtEntries is < 1)
            {
                errors.Add($"{at}.closesAtEntries: must be at least 1, it is {t.ClosesAtEntries}");
            }

            if (t.ClaimPeriod is { } claim && claim <= TimeSpan.Zero)
            {
                errors.Add($"{at}.claimPeriod: must be positive, it is {claim}");
            }

            if (!Enum.IsDefined(t.Entropy))
            {
                errors.Add($"{at}.entropy: {t.Entropy} is not an entropy source");
            }

            if (t.Budget is { } budget && !budgets.Contains(budget))
            {
                errors.Add($"{at}.budget: no budget '{budget}' is defined (the reward rules' budgets: {string.Join(", ", budgets.Order(StringComparer.Ordinal))})");
            }
        }

        var valid = templates.Where(t => t?.DrawIdPattern is not null && DrawIdPlaceholders.PeriodOf(t.DrawIdPattern) is not null).ToList();
        foreach (var rule in rules.Rules)
        {
            foreach (var reward in rule.Rewards)
            {
                if (reward.Kind == RewardKind.Tickets && reward.Draw is { } draw && !valid.Any(t => DrawIdPlaceholders.Covers(t.DrawIdPattern, draw)))
                {
                    errors.Add($"rule '{rule.Id}' grants tickets for draw '{draw}', which no draw template matches (templates: {string.Join(", ", valid.Select(t => $"'{t.Id}' {t.DrawIdPattern}"))})");
                }
            }
        }

        return errors;
    }
}
