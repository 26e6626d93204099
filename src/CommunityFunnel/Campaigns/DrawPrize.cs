using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Campaigns;

/// <summary>A prize tier of a <see cref="DrawTemplate"/>: its name, its winners, and what each of them gets.</summary>
/// <param name="Tier">The tier's name: non-empty and unique in the template, e.g. <c>first</c>.</param>
/// <param name="Count">How many winners: at least 1.</param>
/// <param name="Reward">
/// What each winner gets, through the reward ledger: a coupon (<see cref="RewardKind.Coupon"/>, issued with a code),
/// points, or a physical prize (<see cref="RewardKind.Prize"/> with its text). Not tickets.
/// </param>
public sealed record DrawPrize(string Tier, int Count, RewardSpec Reward);
