using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>Where a member stands, as far as rewards are concerned.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MembershipState>))]
public enum MembershipState
{
    /// <summary>No join, leave or removal seen for the member.</summary>
    Unknown,

    /// <summary>The member's latest membership event is a join.</summary>
    InGroup,

    /// <summary>The member's latest membership event is leaving.</summary>
    Left,

    /// <summary>The member's latest membership event is a removal.</summary>
    Removed,
}
