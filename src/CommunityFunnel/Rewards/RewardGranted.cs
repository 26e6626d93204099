using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// A grant notice: a reward the ledger granted a member for an event, to tell them on the platform ("you earned a
/// lottery ticket", "your coupon is ready"). The hosted runtime keeps it in the action outbox, beside the member and
/// campaign actions, when the host registers a grant handler.
/// </summary>
/// <param name="Group">The group of the event the grant is for (where to tell the member).</param>
/// <param name="Grant">The ledger's grant: its key, member, rule, rewards, instant and expiry.</param>
public sealed record RewardGranted(string Group, RewardLedgerEntry Grant) : OutboxAction;
