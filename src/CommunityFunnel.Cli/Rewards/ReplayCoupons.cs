using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;

namespace CommunityFunnel.Cli.Rewards;

/// <summary>
/// The coupons of a replay: one code per coupon grant (from a seeded generator, so a replay gives the same codes
/// every time), and what the log's order events did with them (<see cref="CouponConversion.FromEvents"/>).
/// </summary>
internal sealed record ReplayCoupons(IReadOnlyList<Coupon> Coupons, CouponConversionReport Conversion)
{
    /// <summary>Issues a code for every coupon grant of <paramref name="result"/>, in ledger order, and counts the redemptions in <paramref name="events"/>.</summary>
    public static ReplayCoupons Issue(RewardReplayResult result, IEnumerable<CommunityEvent> events, DateTimeOffset asOf, int seed)
    {
        var store = new InMemoryCouponStore();
        var options = new CouponsOptions();
        var service = new CouponService(store, options, TimeProvider.System, new CouponCodeGenerator(options.Codes, seed));
        var coupons = new List<Coupon>();
        foreach (var grant in result.Ledger)
        {
            if (grant.Kind == RewardEntryKind.Grant && grant.Rewards.Any(r => r.Kind == RewardKind.Coupon && r.Coupon is not null))
            {
                // The in-memory store completes synchronously: nothing here waits on I/O.
                coupons.Add(service.IssueAsync(grant).GetAwaiter().GetResult());
            }
        }

        return new ReplayCoupons(coupons, CouponConversion.FromEvents(coupons, events, asOf));
    }

    /// <summary>One JSON object per code: <c>code</c>, <c>member</c>, <c>rule</c>, <c>grant</c>, <c>issuedAt</c>, <c>expiresAt</c>.</summary>
    public void WriteCodes(TextWriter output)
    {
        foreach (var c in Coupons)
        {
            var line = new JsonObject
            {
                ["code"] = c.Code,
                ["member"] = c.Member,
                ["rule"] = c.RuleId,
                ["grant"] = c.GrantKey,
                ["issuedAt"] = EventLogWriter.FormatInstant(c.IssuedAt),
                ["expiresAt"] = c.ExpiresAt is { } x ? EventLogWriter.FormatInstant(x) : null,
            };
            output.Write(line.ToJsonString());
            output.Write('\n');
        }
    }

}
