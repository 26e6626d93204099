using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
namespace CommunityFunnel.Campaigns;

/// <summary>
/// Runs recurring draws from their <see cref="DrawTemplate"/>s on the reward ledger: ticket grants enter members into
/// the draw they name (the instance is created on its first ticket), reversals withdraw them, due instances close,
/// take their entropy and draw, and each winner's prize is granted through the ledger, counted against its budget.
/// Register templates with <c>AddDrawTemplates</c>. Every step is idempotent and catches up from the ledger, so
/// calling it again after a crash (or from a second instance) changes nothing twice.
/// </summary>
public interface IDrawCampaign
{
    /// <summary>The templates, as registered.</summary>
    IReadOnlyList<DrawTemplate> Templates { get; }

    /// <summary>The template whose pattern <paramref name="drawId"/> matches, or <see langword="null"/>.</summary>
    /// <param name="drawId">An instance's id, e.g. <c>weekly-2026-11-30</c>.</param>
    /// <returns>The template.</returns>
    DrawTemplate? FindTemplate(string drawId);

    /// <summary>
    /// Brings every instance up to <paramref name="asOf"/>: the ledger's net tickets into the open ones, the due ones
    /// closed, drawn and their prizes granted, leavers and late claimers forfeited with the prize moved to the
    /// replacement, tickets that came after a close refused. Call it with the host's clock's now (the hosted runtime
    /// does, on every scheduler tick).
    /// </summary>
    /// <param name="asOf">Now.</param>
    /// <param name="cancellationToken">Cancels the call (a later call continues where it stopped).</param>
    /// <returns>What it did, with the actions to carry out.</returns>
    Task<CampaignAdvance> AdvanceAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default);

    /// <summary>
    /// The actions the drawn instances stand for at <paramref name="asOf"/>, changing nothing: each drawn instance's
    /// <see cref="CampaignActionKind.DrawPublished"/> with its current proof, and a <see cref="CampaignActionKind.PrizeWon"/>
    /// for each current winner whose prize is granted (with its grant key and coupon code; a coupon the grant did not
    /// get issued yet, because an instance stopped between the two, is issued now) or still waits for a claim before
    /// its deadline. An action <see cref="AdvanceAsync"/> returned that the host never carried out (its instance
    /// stopped first) is among them, as the latest publication of its draw; the hosted runtime enqueues them again under
    /// their deterministic ids on its first tick, so only the missing ones are added.
    /// </summary>
    /// <param name="asOf">Now (each action's <see cref="CampaignAction.At"/>; claims due before it are left out).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The actions, draw by draw in the order of their first ticket.</returns>
    Task<IReadOnlyList<CampaignAction>> ListActionsAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default);

    /// <summary>
    /// A winner claims a prize of a template with a <see cref="DrawTemplate.ClaimPeriod"/>: it is granted through the
    /// ledger (idempotent: a second claim returns the same grant).
    /// </summary>
    /// <param name="drawId">The draw.</param>
    /// <param name="member">The winner.</param>
    /// <param name="asOf">Now; a claim after the slot's deadline is refused.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The prize action with its grant, or <see langword="null"/> when the member holds no claimable prize of the draw.</returns>
    Task<CampaignAction?> ClaimAsync(string drawId, string member, DateTimeOffset asOf, CancellationToken cancellationToken = default);
}
