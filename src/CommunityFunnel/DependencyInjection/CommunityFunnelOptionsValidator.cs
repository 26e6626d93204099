using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>Checks <see cref="CommunityFunnelOptions"/> and reports every bad field in one message.</summary>
internal sealed class CommunityFunnelOptionsValidator : IValidateOptions<CommunityFunnelOptions>
{
    public ValidateOptionsResult Validate(string? name, CommunityFunnelOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TimeZoneId))
        {
            failures.Add($"{nameof(CommunityFunnelOptions.TimeZoneId)} must name an IANA time zone, e.g. 'Asia/Shanghai'.");
        }
        else if (!TimeZones.TryFind(options.TimeZoneId, out _))
        {
            failures.Add($"{nameof(CommunityFunnelOptions.TimeZoneId)} '{options.TimeZoneId}' is not a time zone known to this machine.");
        }

        if (options.ActivationWindow <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(CommunityFunnelOptions.ActivationWindow)} must be positive; it is {options.ActivationWindow}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
