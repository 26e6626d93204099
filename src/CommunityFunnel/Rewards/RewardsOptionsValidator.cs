using Microsoft.Extensions.Options;

namespace CommunityFunnel.Rewards;

/// <summary>Checks <see cref="RewardsOptions"/> at start and reports every bad rule and field in one message.</summary>
internal sealed class RewardsOptionsValidator : IValidateOptions<RewardsOptions>
{
    public ValidateOptionsResult Validate(string? name, RewardsOptions options)
    {
        var errors = RewardRuleValidator.Validate(options.ToRuleSet(), requireRules: false);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => "Rewards: " + e));
    }
}
