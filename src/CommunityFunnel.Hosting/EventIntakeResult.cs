using CommunityFunnel.Members;

namespace CommunityFunnel.Hosting;

/// <summary>The result of <see cref="IEventIntake.SubmitAsync"/>.</summary>
/// <param name="Outcome">Applied or duplicate.</param>
/// <param name="Actions">
/// The actions the lifecycle decided in this call (empty for a duplicate): the event's, and those of the member's earlier
/// events another instance had stored but not applied yet, which this call applied first.
/// </param>
/// <param name="Grants">How many reward grants this call added to the ledger, counted the same way (0 for a duplicate).</param>
public sealed record EventIntakeResult(EventIntakeOutcome Outcome, IReadOnlyList<MemberAction> Actions, int Grants);
