using System.Text.Json.Serialization;

namespace CommunityFunnel.Activation;

/// <summary>Which <c>joined</c> events of a (group, member) pair count as joins (event-log/v1, rule 2).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejoinPolicy>))]
public enum RejoinPolicy
{
    /// <summary>Only the earliest <c>joined</c> of each pair (ties: the smaller id in ordinal order). The default.</summary>
    First,

    /// <summary>Every <c>joined</c> event is its own join.</summary>
    Every,
}
