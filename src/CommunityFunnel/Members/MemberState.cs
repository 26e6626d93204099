using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>Where a member stands in a group's lifecycle.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemberState>))]
public enum MemberState : byte
{
    /// <summary>Joined and still onboarding: the group nickname does not yet follow the group's pattern.</summary>
    Onboarding,

    /// <summary>In good standing: every requirement met or not yet due.</summary>
    Active,

    /// <summary>A requirement is overdue and a reminder went out; removal follows when the warning grace ends.</summary>
    AtRisk,

    /// <summary>Removed from the group, by a rule of the policy or by an admin.</summary>
    Removed,

    /// <summary>Left the group by themselves.</summary>
    Left,
}
