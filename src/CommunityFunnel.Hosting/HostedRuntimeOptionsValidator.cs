using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting;

/// <summary>Reports every bad <see cref="HostedRuntimeOptions"/> field in one message.</summary>
internal sealed class HostedRuntimeOptionsValidator : IValidateOptions<HostedRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, HostedRuntimeOptions options)
    {
        var failures = new List<string>();
        if (options.SchedulerPeriod < TimeSpan.FromSeconds(1) || options.SchedulerPeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"HostedRuntimeOptions.SchedulerPeriod must be between 1 second and 1 day; it is {options.SchedulerPeriod.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        for (var i = 0; i < options.Draws.Count; i++)
        {
            if (string.IsNullOrEmpty(options.Draws[i]))
            {
                failures.Add($"HostedRuntimeOptions.Draws[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}] must not be empty.");
            }
        }

        if (options.Draws.Distinct(StringComparer.Ordinal).Count() != options.Draws.Count)
        {
            failures.Add("HostedRuntimeOptions.Draws must not list a draw twice.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
