using CommunityFunnel.Rewards;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Implemented by the host: tells a member about a reward they were granted (a ticket, points, a coupon). Register with
/// <c>AddRewardGrantHandler</c>; doing so turns grant notices on: the intake enqueues one <see cref="RewardGranted"/> per
/// grant in the action outbox, before the event counts as applied, and the dispatcher delivers it at least once, with
/// the outbox's retries and dead letters. Needs the outbox on (<see cref="OutboxOptions.Enabled"/>).
/// </summary>
/// <remarks>
/// The notice's id is <c>granted|len:key</c> (the grant's ledger key), the same on every retry and instance. An instance
/// that stops between the ledger's grant and the enqueue leaves the event marked not applied; whoever applies it again
/// (the recovery, or the member's next event) finds the grant in the ledger and enqueues the notice then, once. A
/// coupon's code is not in the notice: <c>ICouponService.IssueAsync(notice.Grant)</c> gives it (the same coupon every time).
/// </remarks>
public interface IRewardGrantHandler
{
    /// <summary>Carries out (or queues) one grant notice.</summary>
    /// <param name="notice">The grant and the group to tell the member in.</param>
    /// <param name="actionId">Its deterministic id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the notice is carried out or queued.</returns>
    Task HandleAsync(RewardGranted notice, string actionId, CancellationToken cancellationToken);
}
