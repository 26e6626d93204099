using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>Who may receive a rule's rewards, judged on the member's facts when the rule fires.</summary>
public sealed record RewardEligibility
{
    /// <summary>Allowed member states; empty means any state.</summary>
    public IReadOnlyList<MembershipState> States { get; init; } = [];

    /// <summary>Only members whose first join is at or after this instant.</summary>
    public DateTimeOffset? JoinedAfter { get; init; }

    /// <summary>Only members whose first join is before this instant.</summary>
    public DateTimeOffset? JoinedBefore { get; init; }

    /// <summary>Allowed join channels (ordinal); empty means any channel.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Whether staff and bots are left out. Default <see langword="true"/>.</summary>
    public bool ExcludeStaffAndBots { get; init; } = true;
}
