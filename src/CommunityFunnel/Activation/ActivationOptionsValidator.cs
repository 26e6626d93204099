using Microsoft.Extensions.Options;

namespace CommunityFunnel.Activation;

/// <summary>Checks <see cref="ActivationOptions"/> and reports every bad field in one message.</summary>
internal sealed class ActivationOptionsValidator : IValidateOptions<ActivationOptions>
{
    public ValidateOptionsResult Validate(string? name, ActivationOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Rejoin))
        {
            failures.Add($"{nameof(ActivationOptions.Rejoin)} {options.Rejoin} is not a rejoin policy (First or Every).");
        }

        if (options.QualifyingTypes.Count == 0)
        {
            failures.Add($"{nameof(ActivationOptions.QualifyingTypes)} must name at least one event type.");
        }

        foreach (var type in options.QualifyingTypes)
        {
            if (!Enum.IsDefined(type))
            {
                failures.Add($"{nameof(ActivationOptions.QualifyingTypes)} holds {type}, which is not an event type.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
