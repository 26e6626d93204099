using CommunityFunnel.Events;
using CommunityFunnel.Members;
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

        if (options.RecoveryDelay < TimeSpan.FromSeconds(1) || options.RecoveryDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"HostedRuntimeOptions.RecoveryDelay must be between 1 second and 1 day; it is {options.RecoveryDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}.");
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

        var o = options.Outbox;
        if (o.Enabled && services.GetService<IActionOutbox>() is null)
        {
            failures.Add("The action outbox needs a member store with an outbox: UseSqliteStores(...), UsePostgreSqlStores(...) or UseInMemoryStores() register one (IActionOutbox); or set HostedRuntimeOptions.Outbox.Enabled = false.");
        }

        if (!o.Enabled && services.GetService<IEnumerable<IRewardGrantHandler>>()?.Any() == true)
        {
            failures.Add("Grant notices (AddRewardGrantHandler) go through the action outbox: keep HostedRuntimeOptions.Outbox.Enabled on, or remove the grant handler.");
        }

        Range(failures, "PollPeriod", o.PollPeriod, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Range(failures, "LeaseTime", o.LeaseTime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range(failures, "RetryDelay", o.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1));
        if (o.MaxRetryDelay < o.RetryDelay)
        {
            failures.Add("HostedRuntimeOptions.Outbox.MaxRetryDelay must be at least Outbox.RetryDelay.");
        }

        if (o.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"HostedRuntimeOptions.Outbox.BatchSize must be between 1 and 10000; it is {o.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (o.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"HostedRuntimeOptions.Outbox.MaxAttempts must be between 1 and 100; it is {o.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (string.IsNullOrWhiteSpace(o.InstanceId))
        {
            failures.Add("HostedRuntimeOptions.Outbox.InstanceId must not be empty.");
        }

        var h = options.Health;
        if (h.OutboxBacklogLimit < 1)
        {
            failures.Add($"HostedRuntimeOptions.Health.OutboxBacklogLimit must be at least 1; it is {h.OutboxBacklogLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        foreach (var (field, value) in new[] { ("OutboxLagLimit", h.OutboxLagLimit), ("SchedulerLagLimit", h.SchedulerLagLimit) })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"HostedRuntimeOptions.Health.{field} must be more than zero; it is {value.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            failures.Add($"HostedRuntimeOptions.Outbox.{name} must be between {min.ToString("c", c)} and {max.ToString("c", c)}; it is {value.ToString("c", c)}.");
        }
    }
}
