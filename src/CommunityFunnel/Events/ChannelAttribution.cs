using System.Text.Json.Serialization;

namespace CommunityFunnel.Events;

/// <summary>
/// How sure the source of a <c>joined</c> event is of its <see cref="CommunityEvent.Channel"/> (the <c>attribution</c>
/// field of event-log/v1.1). Platform adapters set it: WeCom's <c>state</c> and Telegram's invite link name are exact,
/// a Discord invite use-count difference is exact or inferred, and a join the platform says nothing about is unknown.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelAttribution>))]
public enum ChannelAttribution : byte
{
    /// <summary><c>exact</c>: the platform named the channel for this join.</summary>
    Exact,

    /// <summary><c>inferred</c>: the channel was deduced (e.g. from which invite's use count went up), not reported.</summary>
    Inferred,

    /// <summary><c>unknown</c>: nothing tells where the member came from; the channel is <c>unknown</c> or absent.</summary>
    Unknown,
}
