namespace CommunityFunnel.WeCom;

/// <summary>The <c>ChangeType</c> of a <c>change_external_chat</c> callback.</summary>
public enum WeComChangeType
{
    /// <summary><c>create</c>: a customer group was created.</summary>
    Create,

    /// <summary><c>update</c>: a customer group changed; <see cref="WeComChatChange.UpdateDetail"/> says how.</summary>
    Update,

    /// <summary><c>dismiss</c>: a customer group was dismissed.</summary>
    Dismiss,
}
