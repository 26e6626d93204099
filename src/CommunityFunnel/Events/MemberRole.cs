using System.Text.Json.Serialization;

namespace CommunityFunnel.Events;

/// <summary>Who a joining member is: an ordinary member, staff of the operator, or a bot.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemberRole>))]
public enum MemberRole
{
    /// <summary><c>member</c>, the default.</summary>
    Member,

    /// <summary><c>staff</c>: the operator's own people; never in activation cohorts, never reminded or removed.</summary>
    Staff,

    /// <summary><c>bot</c>: an automated account; treated like staff.</summary>
    Bot,
}
