using Microsoft.Extensions.Options;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>Options of the coupon service (validated when the host starts, every bad field named).</summary>
public sealed class CouponsOptions
{
    /// <summary>The pattern of new codes (and of typed codes: a code of another shape is refused without a lookup).</summary>
    public CouponCodeOptions Codes { get; set; } = new();

    /// <summary>How long a reservation holds by default (1 second to 1 day). Default 15 minutes.</summary>
    public TimeSpan ReservationTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many new codes are tried when a generated code is already taken (1 to 100). Default 10.</summary>
    public int IssueAttempts { get; set; } = 10;
}

/// <summary>Validates <see cref="CouponsOptions"/>.</summary>
internal sealed class CouponsOptionsValidator : IValidateOptions<CouponsOptions>
{
    public ValidateOptionsResult Validate(string? name, CouponsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Codes is null)
        {
            errors.Add("Coupons.Codes: is required");
        }
        else
        {
            errors.AddRange(CouponCodes.Validate(options.Codes).Select(e => "Coupons.Codes." + e));
        }

        if (options.ReservationTime < TimeSpan.FromSeconds(1) || options.ReservationTime > TimeSpan.FromDays(1))
        {
            errors.Add($"Coupons.ReservationTime: must be 1 second to 1 day, it is {options.ReservationTime.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (options.IssueAttempts is < 1 or > 100)
        {
            errors.Add($"Coupons.IssueAttempts: must be 1 to 100, it is {options.IssueAttempts}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
