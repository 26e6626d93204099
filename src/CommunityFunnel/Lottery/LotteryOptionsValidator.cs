using Microsoft.Extensions.Options;

namespace CommunityFunnel.Lottery;

/// <summary>Checks <see cref="LotteryOptions"/> and reports every bad field in one message.</summary>
internal sealed class LotteryOptionsValidator : IValidateOptions<LotteryOptions>
{
    public ValidateOptionsResult Validate(string? name, LotteryOptions options)
    {
        var failures = new List<string>();
        if (options.MaxEntriesPerDraw is < 1 or > 100_000_000)
        {
            failures.Add($"{nameof(LotteryOptions.MaxEntriesPerDraw)} must be from 1 to 100000000; it is {options.MaxEntriesPerDraw}.");
        }

        if (options.MaxSlotsPerDraw is < 1 or > FairDrawEngine.MaxSlots)
        {
            failures.Add($"{nameof(LotteryOptions.MaxSlotsPerDraw)} must be from 1 to {FairDrawEngine.MaxSlots} (fair-draw/v1); it is {options.MaxSlotsPerDraw}.");
        }

        if (options.ConflictRetries is < 1 or > 100)
        {
            failures.Add($"{nameof(LotteryOptions.ConflictRetries)} must be from 1 to 100; it is {options.ConflictRetries}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
