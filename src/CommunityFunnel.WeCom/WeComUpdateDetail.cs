namespace CommunityFunnel.WeCom;

/// <summary>The <c>UpdateDetail</c> of a <c>change_external_chat</c> callback with <c>ChangeType</c> <c>update</c>.</summary>
public enum WeComUpdateDetail
{
    /// <summary>No <c>UpdateDetail</c> (a <c>create</c> or <c>dismiss</c>).</summary>
    None,

    /// <summary><c>add_member</c>: members joined.</summary>
    AddMember,

    /// <summary><c>del_member</c>: members left or were removed.</summary>
    DelMember,

    /// <summary><c>change_owner</c>: the group owner changed.</summary>
    ChangeOwner,

    /// <summary><c>change_name</c>: the group name changed.</summary>
    ChangeName,

    /// <summary><c>change_notice</c>: the group notice changed.</summary>
    ChangeNotice,

    /// <summary>A value this version does not know; mapped to no events.</summary>
    Other,
}
