using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.Rewards.Coupons;

public sealed class CouponServiceTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 9, 20, 0, 0, TimeSpan.FromHours(8));
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly ServiceProvider _provider;

    public CouponServiceTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddCommunityFunnel().UseInMemoryStores();
        _provider = services.BuildServiceProvider();
    }

    private ICouponService Service => _provider.GetRequiredService<ICouponService>();

    private ICouponStore Store => _provider.GetRequiredService<ICouponStore>();

    public void Dispose() => _provider.Dispose();

    private static RewardLedgerEntry Grant(string key, RewardCoupon terms, long quantity = 1, DateTimeOffset? expires = null, string member = "wx:42") => new()
    {
        Key = key,
        RuleId = "streak-7-coupon",
        Member = member,
        EventId = "e-" + key,
        At = T0,
        Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Draw = "d" }, new RewardSpec { Kind = RewardKind.Coupon, Quantity = quantity, Coupon = terms }],
        Counters = [],
        ExpiresAt = expires,
    };

    private static readonly RewardCoupon EightyPercent = new() { Kind = CouponKind.PercentOff, PercentOff = 20 };

    [Fact]
    public async Task Issue_GivesAGrantOneWellFormedCode_WithItsTerms_AndTheSameCodeEveryLaterTime()
    {
        var grant = Grant("g1", EightyPercent, quantity: 3, expires: T0.AddDays(14));
        var coupon = await Service.IssueAsync(grant);
        Assert.True(CouponCodes.IsWellFormed(coupon.Code, new CouponCodeOptions()));
        Assert.Equal(("g1", "streak-7-coupon", "wx:42", 3, T0.AddDays(14), T0), (coupon.GrantKey, coupon.RuleId, coupon.Member, coupon.UsageLimit, coupon.ExpiresAt, coupon.IssuedAt));
        Assert.Equal(EightyPercent, coupon.Terms);
        Assert.Equal(coupon.Code, (await Service.IssueAsync(grant)).Code);
        Assert.NotEqual(coupon.Code, (await Service.IssueAsync(Grant("g2", EightyPercent))).Code);
        var noCoupon = grant with { Key = "g3", Rewards = [new RewardSpec { Kind = RewardKind.Points }] };
        Assert.Contains("gives no coupon", (await Assert.ThrowsAsync<ArgumentException>(() => Service.IssueAsync(noCoupon))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_RetriesACodeAlreadyTaken_AndSaysTheCapacityWhenEveryTryIsTaken()
    {
        var options = new CouponsOptions { Codes = new CouponCodeOptions { Length = 2, CheckCharacter = false, Prefix = "T", ExpectedCodes = 9 }, IssueAttempts = 1 };
        var taken = new CouponCodeGenerator(options.Codes, 1).Next();
        var store = new InMemoryCouponStore();
        await store.TryIssueAsync(new Coupon { Code = taken, GrantKey = "other", RuleId = "r", Member = "m", Terms = EightyPercent }, default);

        var once = new CouponService(store, options, _clock, new CouponCodeGenerator(options.Codes, 1));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => once.IssueAsync(Grant("g1", EightyPercent)));
        Assert.Contains("1 new codes in a row were already taken", error.Message, StringComparison.Ordinal);
        Assert.Contains("capacity 961", error.Message, StringComparison.Ordinal);

        var retrying = new CouponService(store, new CouponsOptions { Codes = options.Codes, IssueAttempts = 2 }, _clock, new CouponCodeGenerator(options.Codes, 1));
        var coupon = await retrying.IssueAsync(Grant("g1", EightyPercent));
        var generator = new CouponCodeGenerator(options.Codes, 1);
        generator.Next();
        Assert.Equal(generator.Next(), coupon.Code); // the second code of the seed
    }

    [Theory]
    [InlineData(12345, 20, 2469)] // 8折 on 123.45: 24.69 off
    [InlineData(3, 50, 1)]        // 1.5 → 1: an exact half rounds down
    [InlineData(1, 50, 0)]        // 0.5 → 0
    [InlineData(15, 10, 1)]       // 1.5 → 1
    [InlineData(16, 10, 2)]       // 1.6 → 2
    [InlineData(3, 20, 1)]        // 0.6 → 1
    [InlineData(2, 20, 0)]        // 0.4 → 0
    [InlineData(999, 100, 999)]
    [InlineData(long.MaxValue, 100, long.MaxValue)] // no overflow
    public void PercentOff_RoundsToTheNearestMinorUnit_HalfDown(long amount, int percent, long discount) =>
        Assert.Equal(discount, CouponEffects.Discount(new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = percent }, amount));

    [Fact]
    public void AmountOff_GiftAndFreeOrder_HaveTheirEffects()
    {
        var amountOff = new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 2000, MinSpend = 20000 };
        Assert.Equal(0, CouponEffects.Discount(amountOff, 19999));
        Assert.Equal(2000, CouponEffects.Discount(amountOff, 20000));
        Assert.Equal(3000, CouponEffects.Discount(new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 5000 }, 3000));
        Assert.Equal(0, CouponEffects.Discount(new RewardCoupon { Kind = CouponKind.SpendGetGift, MinSpend = 20000, Gift = "小礼品" }, 30000));
        var capped = new RewardCoupon { Kind = CouponKind.FreeOrder, AmountOff = 10000 };
        Assert.Equal(8000, CouponEffects.Discount(capped, 8000));
        Assert.Equal(10000, CouponEffects.Discount(capped, 15000));
        Assert.Equal(15000, CouponEffects.Discount(new RewardCoupon { Kind = CouponKind.FreeOrder }, 15000));
    }

    [Fact]
    public async Task Validate_SaysWhatTheCouponDoes_OrWhyNot_AndChangesNothing()
    {
        var gift = await Service.IssueAsync(Grant("gift", new RewardCoupon { Kind = CouponKind.SpendGetGift, MinSpend = 20000, Gift = "小礼品" }, expires: T0.AddDays(1)));
        var ok = await Service.ValidateAsync(gift.Code.ToLowerInvariant(), new CouponOrder("o1", 25000, "wx:42"));
        Assert.Equal((true, CouponRejection.None, 0L, 25000L, "小礼品"), (ok.Applies, ok.Rejection, ok.Discount, ok.AmountToPay, ok.Gift));
        Assert.Equal(CouponRejection.BelowMinimumSpend, (await Service.ValidateAsync(gift.Code, new CouponOrder("o1", 19999))).Rejection);
        Assert.Equal(CouponRejection.OtherMember, (await Service.ValidateAsync(gift.Code, new CouponOrder("o1", 25000, "wx:7"))).Rejection);

        var typo = gift.Code[..^1] + (gift.Code[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(CouponRejection.Malformed, (await Service.ValidateAsync(typo, new CouponOrder("o1", 25000))).Rejection);
        var unknown = new CouponCodeGenerator(new CouponCodeOptions(), 99).Next();
        Assert.Equal(CouponRejection.NotFound, (await Service.ValidateAsync(unknown, new CouponOrder("o1", 25000))).Rejection);

        _clock.Advance(TimeSpan.FromDays(1));
        var expired = await Service.ValidateAsync(gift.Code, new CouponOrder("o1", 25000));
        Assert.Equal((CouponRejection.Expired, 25000L, 0L), (expired.Rejection, expired.AmountToPay, expired.Discount));
        Assert.Equal([CouponAuditAction.Issued], (await Store.GetAuditTrailAsync(gift.Code, default)).Select(a => a.Action));
    }

    [Fact]
    public async Task ReserveRedeemRollback_OnAnOrder_AreHeldToTheRules_AndAudited()
    {
        var coupon = await Service.IssueAsync(Grant("g", new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 2000, MinSpend = 20000 }, expires: T0.AddDays(14)));
        var typed = " " + coupon.Code[..5].ToLowerInvariant() + "-" + coupon.Code[5..] + " ";

        var held = await Service.ReserveAsync(typed, new CouponOrder("o1", 20000), TimeSpan.FromMinutes(10));
        Assert.Equal((true, false, 2000L, 18000L), (held.Applies, held.AlreadyDone, held.Discount, held.AmountToPay));
        Assert.Equal(CouponRejection.UsedUp, (await Service.ReserveAsync(coupon.Code, new CouponOrder("o2", 30000))).Rejection);
        Assert.Equal(CouponRejection.UsedUp, (await Service.ValidateAsync(coupon.Code, new CouponOrder("o2", 30000))).Rejection);
        Assert.True((await Service.ValidateAsync(coupon.Code, new CouponOrder("o1", 20000))).Applies);

        _clock.Advance(TimeSpan.FromMinutes(10)); // o1 did not pay in time: o2 takes the use
        var redeemed = await Service.RedeemAsync(coupon.Code, new CouponOrder("o2", 30000));
        Assert.Equal((true, false, 2000L, 28000L), (redeemed.Applies, redeemed.AlreadyDone, redeemed.Discount, redeemed.AmountToPay));
        var again = await Service.RedeemAsync(coupon.Code, new CouponOrder("o2", 99999));
        Assert.Equal((true, true, 2000L, 28000L), (again.Applies, again.AlreadyDone, again.Discount, again.AmountToPay));
        Assert.Equal(CouponRejection.UsedUp, (await Service.RedeemAsync(coupon.Code, new CouponOrder("o1", 20000))).Rejection);

        _clock.Advance(TimeSpan.FromDays(2)); // refunded
        var back = await Service.RollbackAsync(coupon.Code.ToLowerInvariant(), "o2");
        Assert.Equal((true, false), (back.Applies, back.AlreadyDone));
        Assert.True((await Service.RollbackAsync(coupon.Code, "o2")).AlreadyDone);
        Assert.Equal(CouponRejection.NotUsedByOrder, (await Service.RollbackAsync(coupon.Code, "o9")).Rejection);
        Assert.Equal(CouponRejection.Malformed, (await Service.RollbackAsync("CF", "o2")).Rejection);
        Assert.Equal(CouponRejection.RolledBack, (await Service.RedeemAsync(coupon.Code, new CouponOrder("o2", 30000))).Rejection);
        Assert.True((await Service.RedeemAsync(coupon.Code, new CouponOrder("o3", 20000))).Applies);

        Assert.Equal(
            [CouponAuditAction.Issued, CouponAuditAction.Reserved, CouponAuditAction.Redeemed, CouponAuditAction.RolledBack, CouponAuditAction.Redeemed],
            (await Store.GetAuditTrailAsync(coupon.Code, default)).Select(a => a.Action));
        Assert.Equal(T0.AddMinutes(10), (await Store.GetAuditTrailAsync(coupon.Code, default))[2].At); // the service's clock
    }

    [Fact]
    public async Task AReservationMadeBeforeTheExpiry_MayStillBeRedeemed_ANewOrderMayNot()
    {
        var coupon = await Service.IssueAsync(Grant("g", EightyPercent, quantity: 2, expires: T0.AddMinutes(5)));
        Assert.True((await Service.ReserveAsync(coupon.Code, new CouponOrder("o1", 10000))).Applies);
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(CouponRejection.Expired, (await Service.RedeemAsync(coupon.Code, new CouponOrder("o2", 10000))).Rejection);
        var paid = await Service.RedeemAsync(coupon.Code, new CouponOrder("o1", 10000));
        Assert.Equal((true, 2000L), (paid.Applies, paid.Discount));
    }

    [Fact]
    public void BadCouponOptions_FailTheHostsStart_EveryFieldNamed()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureCoupons(o =>
        {
            o.Codes = new CouponCodeOptions { Length = 0 };
            o.ReservationTime = TimeSpan.Zero;
            o.IssueAttempts = 0;
        });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Coupons.Codes.Length: must be 1 to 32, it is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Coupons.ReservationTime: must be 1 second to 1 day, it is 00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("Coupons.IssueAttempts: must be 1 to 100, it is 0", error.Message, StringComparison.Ordinal);
    }
}
