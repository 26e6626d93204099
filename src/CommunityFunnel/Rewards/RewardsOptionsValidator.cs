using Microsoft.Extensions.Options;

namespace CommunityFunnel.Rewards;

/// <summary>Checks <see cref="RewardsOptions"/> at start and reports every bad rule and field in one message.</summary>
internal sealed class RewardsOptionsValidator : IValidateOptions<RewardsOptions>
{
    public ValidateOptionsResult Validate(string? name, RewardsOptions options)
    {
        if (options.Rules.Count == 0 && options.Budgets.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = RewardRuleValidator.Validate(options.ToRuleSet());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => "Rewards: " + e));
    }
}
