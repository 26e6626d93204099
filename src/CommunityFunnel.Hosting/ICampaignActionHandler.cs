using CommunityFunnel.Campaigns;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Implemented by the host: announces a campaign's results on its platform (tell a winner, post a draw's result with its
/// proof in the group). Register with <c>AddCampaignActionHandler</c>; the hosted runtime's scheduler runs the campaign
/// (<see cref="IDrawCampaign.AdvanceAsync"/>) on every tick, and each action it decided reaches every handler, in
/// registration order.
/// </summary>
/// <remarks>
/// <para>
/// Each action comes with a deterministic id, the same on every instance, so a host can make its announcement idempotent:
/// <c>len:drawId|published|{winners in the proof}</c> for a draw's result (a forfeit adds a winner, so each publication
/// has its own id) and <c>len:drawId|won|len:tier|{slot}|len:member</c> for a prize.
/// </para>
/// <para>
/// With the action outbox on (<see cref="OutboxOptions.Enabled"/>, the default) the actions are enqueued in the outbox
/// and delivered by its dispatcher like member actions: at least once, retried with backoff after a handler throws, a
/// dead letter after <see cref="OutboxOptions.MaxAttempts"/> failures. An instance that stops after the campaign's step
/// but before enqueueing loses nothing: the next start enqueues what the drawn draws stand for
/// (<see cref="IDrawCampaign.ListActionsAsync"/>) under the same ids, adding only the missing ones (logged, event id
/// 17016). With the outbox off, each action is handed over once on the scheduler's loop, not retried: a handler that
/// throws is logged (event id 17014).
/// </para>
/// </remarks>
public interface ICampaignActionHandler
{
    /// <summary>Carries out (or queues) one campaign action.</summary>
    /// <param name="action">The action.</param>
    /// <param name="actionId">Its deterministic id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the action is carried out or queued.</returns>
    Task HandleAsync(CampaignAction action, string actionId, CancellationToken cancellationToken);
}
