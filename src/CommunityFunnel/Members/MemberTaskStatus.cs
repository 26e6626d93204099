using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>Where a member's required task stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemberTaskStatus>))]
public enum MemberTaskStatus
{
    /// <summary>Not submitted yet.</summary>
    Pending,

    /// <summary>Submitted and waiting for review; counts as meeting the deadline.</summary>
    Submitted,

    /// <summary>Approved by a reviewer.</summary>
    Approved,

    /// <summary>Rejected by a reviewer: the member is reminded and the original deadline still holds.</summary>
    Rejected,
}
