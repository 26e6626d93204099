using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Campaigns;

/// <summary>
/// A recurring draw: every id that matches <see cref="DrawIdPattern"/> is one instance, created from this template
/// when its first ticket is granted (<see cref="IDrawCampaign"/>). The pattern holds exactly one of the reward rules'
/// placeholders, <c>{date}</c>, <c>{week}</c> or <c>{month}</c>, so <c>weekly-{week}</c> names one draw a week and
/// the rule granting tickets "for" <c>weekly-{week}</c> names the same one. Times are local to the community's time
/// zone (<c>CommunityFunnelOptions.TimeZoneId</c>).
/// </summary>
public sealed record DrawTemplate
{
    /// <summary>The template's id (names it in errors and logs).</summary>
    public required string Id { get; init; }

    /// <summary>The instances' id pattern with exactly one placeholder, e.g. <c>weekly-{week}</c> or <c>free-order-{month}</c>.</summary>
    public required string DrawIdPattern { get; init; }

    /// <summary>
    /// The weekday of the instance's period on which it opens (the first such day in the period), or
    /// <see langword="null"/> for the period's first day.
    /// </summary>
    public DayOfWeek? OpensOn { get; init; }

    /// <summary>The local time it opens at on that day. Default 00:00.</summary>
    public TimeOnly OpensAt { get; init; }

    /// <summary>
    /// The weekday of the instance's period on which it closes (the last such day in the period, e.g.
    /// <see cref="DayOfWeek.Sunday"/> for a week), or <see langword="null"/> for the day after the period's last
    /// day (a month's draw closes as the next month begins).
    /// </summary>
    public DayOfWeek? ClosesOn { get; init; }

    /// <summary>The local time it closes at on that day, e.g. 20:00. Default 00:00.</summary>
    public TimeOnly ClosesAt { get; init; }

    /// <summary>Closes earlier, as soon as this many members have entered; <see langword="null"/> for no such limit.</summary>
    public int? ClosesAtEntries { get; init; }

    /// <summary>The prize tiers in draw order, each with what its winners get (at least one).</summary>
    public IReadOnlyList<DrawPrize> Prizes { get; init; } = [];

    /// <summary>The most tickets one member's entry holds: 1 to 4 294 967 295 (default). Tickets above it stay in the ledger but do not weigh.</summary>
    public long MaxTicketsPerEntry { get; init; } = uint.MaxValue;

    /// <summary>Where the public entropy comes from. Default <see cref="DrawEntropy.Registered"/>.</summary>
    public DrawEntropy Entropy { get; init; } = DrawEntropy.Registered;

    /// <summary>
    /// How long a winner has to claim the prize (<see cref="IDrawCampaign.ClaimAsync"/>) before it is forfeited and
    /// redrawn (fair-draw/v1 section 7): counted from the scheduled close, one period more for each replacement in
    /// the slot. <see langword="null"/> (default): no claim; the prize is granted when drawn.
    /// </summary>
    public TimeSpan? ClaimPeriod { get; init; }

    /// <summary>The <see cref="RewardBudget.Id"/> the prizes spend from (their <see cref="RewardSpec.Cost"/> each), or <see langword="null"/>.</summary>
    public string? Budget { get; init; }
}
