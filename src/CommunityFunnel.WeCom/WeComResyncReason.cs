namespace CommunityFunnel.WeCom;

/// <summary>Why a mapped callback asks the host to resync its group (<see cref="WeComMappingResult.Resync"/>).</summary>
public enum WeComResyncReason
{
    /// <summary>Nothing is missing: the callback continues the version chain the host knew, or the host knew none.</summary>
    None,

    /// <summary>
    /// The callback's <c>LastMemVer</c> is not the member version the host knew (and its <c>CurMemVer</c> is not
    /// either): a callback in between was lost or is late. Fetch <c>groupchat/get</c> and reconcile.
    /// </summary>
    VersionGap,

    /// <summary><c>MemChangeList</c> holds fewer members than <c>MemChangeCnt</c> (WeCom sends at most the latest ones): fetch and reconcile.</summary>
    ShortList,

    /// <summary>The group was just created (<c>create</c> carries no members): fetch its first member list and reconcile.</summary>
    GroupCreated,

    /// <summary>The group was dismissed: reconcile it with an empty member list, at the callback's time, so every known member leaves.</summary>
    GroupDismissed,
}
