using Microsoft.Extensions.Options;

namespace CommunityFunnel.Members;

/// <summary>Checks <see cref="LifecycleOptions"/> and reports every bad field, by path, in one message.</summary>
internal sealed class LifecycleOptionsValidator : IValidateOptions<LifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Every problem of <paramref name="options"/>, each naming its field; empty when valid. With
    /// <paramref name="filePaths"/> the fields are named as in a policy file (<c>default.onboardingGrace</c>,
    /// <c>groups.g-vip.requiredTasks[0].within</c>) instead of by their .NET names.
    /// </summary>
    public static List<string> Check(LifecycleOptions options, bool filePaths = false)
    {
        string N(string name) => filePaths ? char.ToLowerInvariant(name[0]) + name[1..] : name;
        var failures = new List<string>();
        if (options.TimeZoneId is { } zone && !TimeZones.TryFind(zone, out _))
        {
            failures.Add($"{(filePaths ? "timeZone" : nameof(LifecycleOptions.TimeZoneId))} '{zone}' is not a time zone known to this machine.");
        }

        if (options.DeadlineLeaseTime <= TimeSpan.Zero || options.DeadlineLeaseTime > TimeSpan.FromDays(1))
        {
            failures.Add($"{nameof(LifecycleOptions.DeadlineLeaseTime)} must be more than zero and at most one day; it is {options.DeadlineLeaseTime.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (options.DefaultPolicy is null)
        {
            failures.Add($"{nameof(LifecycleOptions.DefaultPolicy)} must not be null.");
        }
        else
        {
            CheckPolicy(options.DefaultPolicy, filePaths ? "default" : nameof(LifecycleOptions.DefaultPolicy), failures, N);
        }

        foreach (var (group, policy) in options.Groups)
        {
            var path = filePaths ? $"groups.{group}" : $"{nameof(LifecycleOptions.Groups)}[{group}]";
            if (string.IsNullOrEmpty(group))
            {
                failures.Add($"{nameof(LifecycleOptions.Groups)}: a group id must not be empty.");
            }

            if (policy is null)
            {
                failures.Add($"{path} must not be null.");
                continue;
            }

            CheckPolicy(policy, path, failures, N);
        }

        return failures;
    }

    private static void CheckPolicy(LifecyclePolicy policy, string path, List<string> failures, Func<string, string> N)
    {
        if (policy.NicknamePattern is { } pattern && NicknameRegex.TryCreate(pattern, out var error) is null)
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.NicknamePattern))} '{pattern}' {error}");
        }

        if (policy.OnboardingGrace <= TimeSpan.Zero)
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.OnboardingGrace))} must be positive; it is {policy.OnboardingGrace}.");
        }

        if (policy.SpeakEveryDays is { } days && (days < 1 || days > 3650))
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.SpeakEveryDays))} must be from 1 to 3650 days; it is {days}.");
        }

        if (policy.WarningGrace <= TimeSpan.Zero)
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.WarningGrace))} must be positive; it is {policy.WarningGrace}.");
        }

        if (policy.RejoinBan is { } ban && ban < TimeSpan.Zero)
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.RejoinBan))} must not be negative; it is {ban} (null means forever, zero means no ban).");
        }

        if (!Enum.IsDefined(policy.RejoinAfterLeaving))
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.RejoinAfterLeaving))} '{policy.RejoinAfterLeaving}' is not Onboarding or Active.");
        }

        if (policy.RequiredTasks.Count > CompiledPolicy.MaxTasks)
        {
            failures.Add($"{path}.{N(nameof(LifecyclePolicy.RequiredTasks))} has {policy.RequiredTasks.Count} tasks; at most {CompiledPolicy.MaxTasks} are supported.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.RequiredTasks.Count; i++)
        {
            var task = policy.RequiredTasks[i];
            var taskPath = $"{path}.{N(nameof(LifecyclePolicy.RequiredTasks))}[{i}]";
            if (task is null)
            {
                failures.Add($"{taskPath} must not be null.");
                continue;
            }

            if (string.IsNullOrEmpty(task.Id))
            {
                failures.Add($"{taskPath}.{N(nameof(LifecycleTask.Id))} must not be empty.");
            }
            else if (!ids.Add(task.Id))
            {
                failures.Add($"{taskPath}.{N(nameof(LifecycleTask.Id))} '{task.Id}' appears more than once.");
            }

            if (task.Within <= TimeSpan.Zero)
            {
                failures.Add($"{taskPath}.{N(nameof(LifecycleTask.Within))} must be positive; it is {task.Within}.");
            }
        }

        for (var i = 0; i < policy.ProtectedMembers.Count; i++)
        {
            if (string.IsNullOrEmpty(policy.ProtectedMembers[i]))
            {
                failures.Add($"{path}.{N(nameof(LifecyclePolicy.ProtectedMembers))}[{i}] must not be empty.");
            }
        }
    }
}
