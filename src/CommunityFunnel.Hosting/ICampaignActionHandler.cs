using CommunityFunnel.Campaigns;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Implemented by the host: announces a campaign's results on its platform (tell a winner, post a draw's result with its
/// proof in the group). Register with <c>AddCampaignActionHandler</c>; the hosted runtime's scheduler runs the campaign
/// (<see cref="IDrawCampaign.AdvanceAsync"/>) on every tick and hands each action it decided to every handler, in
/// order, on the scheduler's loop.
/// </summary>
/// <remarks>
/// Each action comes with a deterministic id, the same on every instance, so a host can make its announcement idempotent:
/// <c>len:drawId|published|{winners in the proof}</c> for a draw's result (a forfeit adds a winner, so each publication
/// has its own id) and <c>len:drawId|won|len:tier|{slot}|len:member</c> for a prize. Delivery is
/// once, not retried: a handler that throws is logged (event id 17014) with the id, and an instance that stops between
/// the campaign's step and the handler loses that announcement (the campaign's state, draws and grants, is never
/// lost). Campaign actions do not go through the action outbox yet.
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
