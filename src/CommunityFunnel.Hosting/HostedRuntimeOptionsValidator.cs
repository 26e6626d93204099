using CommunityFunnel.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Reports every bad <see cref="HostedRuntimeOptions"/> field in one message, and a host that chose no
/// <see cref="IEventLogStore"/> (the runtime never falls back to memory silently).
/// </summary>
internal sealed class HostedRuntimeOptionsValidator(IServiceProvider services) : IValidateOptions<HostedRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, HostedRuntimeOptions options)
    {
        var failures = new List<string>();
        if (services.GetService<IEventLogStore>() is null)
        {
            failures.Add("The hosted runtime needs an event log store: add UseSqliteStores(...) or UsePostgreSqlStores(...) (or UseInMemoryStores() for tests and demos), or register your own IEventLogStore.");
        }

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
