using System.Text.Json.Nodes;
using CommunityFunnel.Cli.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel coupons</c>: check, redeem or roll back a coupon code on an order, over a store.</summary>
internal sealed class CouponsCommand : ICliCommand
{
    public string Name => "coupons";

    public string Summary => "check, redeem or roll back a coupon code on an order; coupon conversion per rule";

    public string Usage => """
        Usage: community-funnel coupons validate --store sqlite:FILE --code CODE --order ID --amount N [--member ID] [--rules FILE] [--format json|table]
               community-funnel coupons redeem   --store sqlite:FILE --code CODE --order ID --amount N [--member ID] [--rules FILE] [--format json|table]
               community-funnel coupons rollback --store sqlite:FILE --code CODE --order ID [--format json|table]
               community-funnel coupons report   --store sqlite:FILE --as-of ISO [--events FILE] [--format json|table]

        validate says whether the code applies to the order and what it takes off (it changes nothing); redeem uses
        it for the order (a second redeem of the same order reports the first); rollback gives the order's use back
        (a refund or a cancelled checkout); report gives per rule the coupons issued before --as-of, how many were
        redeemed, the redemption rate, the orders and their revenue: from the order events' coupon field with
        --events, else from the store's redemptions. Codes of the default pattern (docs/rewards.md, "Coupons"); the code is
        normalised as typed (case, spaces, dashes, full-width characters).

          --store sqlite:FILE  the SQLite file of the host's stores (UseSqliteStores); it must exist
          --code CODE          the code as typed
          --order ID           the shop's order id
          --amount N           the order's amount before the coupon, in minor units (fen, cents)
          --member ID          the member checking out (refused when the coupon is another member's)
          --rules FILE         the host's reward rules: needed for coupons that spend a budget charged at redemption
                               (its limit is read from them)
          --as-of ISO          report: only coupons, events and redemptions before this instant
          --events FILE        report: the event log whose order events carry the codes they redeemed
          --format json|table  report format (default json)

        Exit codes: 0 the coupon applies (validate) or the step is done or was done before, 1 it does not apply
        (the reason is in the report), 2 bad usage or input.

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        var step = a.Positional.Count == 0
            ? throw new CliUsageException("missing subcommand: validate, redeem, rollback or report")
            : a.Positional[0] is "validate" or "redeem" or "rollback" or "report" ? a.Positional[0]
            : throw new CliUsageException($"unknown subcommand '{a.Positional[0]}' (validate, redeem, rollback or report)");
        var store = a.Required("store");
        if (step == "report")
        {
            return Report(a, store, context);
        }

        var code = a.Required("code");
        var order = a.Required("order");
        var amount = step == "rollback" ? 0 : a.OptionalInt64("amount", 0, Events.CommunityEvent.MaxAmount) ?? throw new CliUsageException("missing --amount");
        var member = a.Optional("member");
        var rulesPath = step == "rollback" ? null : a.Optional("rules");
        var table = CliOutput.WantsTable(a);
        a.EnsureAllConsumed(positionalAllowed: 1);
        var file = CouponConversionOutput.SqliteFile(store);
        if (order.Length == 0)
        {
            throw new CliUsageException("--order: the order id must not be empty");
        }

        var services = new ServiceCollection();
        var builder = services.AddCommunityFunnel().UseSqliteStores($"Data Source={file}");
        if (rulesPath is not null)
        {
            var rules = CommunityFunnel.Rewards.RewardRuleSet.Parse(File.ReadAllText(rulesPath));
            builder.AddRewardRules(o => o.Add(rules));
        }

        using var provider = services.BuildServiceProvider();
        var coupons = provider.GetRequiredService<ICouponService>();
        var o = new CouponOrder(order, amount, member);
        var result = step switch
        {
            "validate" => coupons.ValidateAsync(code, o),
            "redeem" => coupons.RedeemAsync(code, o),
            _ => coupons.RollbackAsync(code, order),
        };
        CouponValidation v;
        try
        {
            v = result.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e) when (rulesPath is null && e.Message.Contains(" spends budget ", StringComparison.Ordinal))
        {
            throw new CliUsageException(e.Message + " (give the host's reward rules with --rules FILE)");
        }

        Write(context, step, v, table);
        return v.Applies ? CliApp.Success : 1;
    }

    private static int Report(CliArguments a, string store, CliContext context)
    {
        var asOf = a.RequiredInstant("as-of");
        var eventsPath = a.Optional("events");
        var table = CliOutput.WantsTable(a);
        a.EnsureAllConsumed(positionalAllowed: 1);
        var coupons = CouponConversionOutput.ListSqlite(store);
        var report = eventsPath is null
            ? CouponConversion.FromStore(coupons, asOf)
            : CouponConversion.FromEvents(coupons, CliEventLog.Read(eventsPath, context, out _), asOf);
        if (table)
        {
            CouponConversionOutput.WriteTable(context.Out, report);
        }
        else
        {
            var json = CouponConversionOutput.ToJson(report);
            json.Insert(0, "asOf", asOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.Insert(1, "source", eventsPath is null ? "store" : "events");
            CliOutput.WriteJson(context.Out, json);
        }

        return CliApp.Success;
    }

    private static void Write(CliContext context, string step, CouponValidation v, bool table)
    {
        var rejection = v.Rejection == CouponRejection.None ? null : JsonNamingPolicyCamel(v.Rejection.ToString());
        if (table)
        {
            CliOutput.WriteTable(context.Out,
            [
                ["step", "code", "applies", "reason", "discount", "to pay", "gift", "already done"],
                [step, v.Code, v.Applies ? "yes" : "no", rejection ?? "-", Num(v.Discount), Num(v.AmountToPay), v.Gift ?? "-", v.AlreadyDone ? "yes" : "no"],
            ]);
            return;
        }

        var json = new JsonObject
        {
            ["step"] = step,
            ["code"] = v.Code,
            ["applies"] = v.Applies,
            ["rejection"] = rejection,
            ["alreadyDone"] = v.AlreadyDone,
        };
        if (step != "rollback")
        {
            json["discount"] = v.Discount;
            json["amountToPay"] = v.AmountToPay;
            json["gift"] = v.Gift;
        }

        if (v.Coupon is { } c)
        {
            json["coupon"] = new JsonObject
            {
                ["rule"] = c.RuleId,
                ["member"] = c.Member,
                ["kind"] = JsonNamingPolicyCamel(c.Terms.Kind.ToString()),
                ["expiresAt"] = c.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["usageLimit"] = c.UsageLimit,
                ["redeemed"] = c.Uses.Count(u => u.State == CouponUseState.Redeemed),
            };
        }

        CliOutput.WriteJson(context.Out, json);
    }

    private static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
