namespace CommunityFunnel.Members;

/// <summary>
/// What an <see cref="OutboxEntry"/> carries: a <see cref="MemberAction"/> the lifecycle decided, or a campaign's action
/// (<c>CommunityFunnel.Campaigns.CampaignAction</c>: a prize won, a draw published). The outbox keeps and delivers
/// both the same way; the action's type decides which handler the dispatcher hands it to. Only this library's action
/// types derive from it.
/// </summary>
public abstract record OutboxAction
{
    private protected OutboxAction()
    {
    }
}
