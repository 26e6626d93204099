using CommunityFunnel.Members;

namespace CommunityFunnel.Hosting;

/// <summary>The result of <see cref="IEventIntake.SubmitAsync"/>.</summary>
/// <param name="Outcome">Applied or duplicate.</param>
/// <param name="Actions">The actions the lifecycle decided and dispatched for it (empty for a duplicate).</param>
/// <param name="Grants">How many reward grants it added to the ledger (0 for a duplicate).</param>
public sealed record EventIntakeResult(EventIntakeOutcome Outcome, IReadOnlyList<MemberAction> Actions, int Grants);
