using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>
/// A decided action kept in the action outbox until a dispatcher has delivered it. A <see cref="MemberAction"/> is
/// written in the same transaction as the member's state change that decided it (<see cref="IMemberStore.SaveAsync(MemberRecord, long, IReadOnlyList{MemberTransition}, IReadOnlyList{OutboxEntry}, CancellationToken)"/>);
/// a campaign's action is enqueued after the change (<see cref="IActionOutbox.EnqueueAsync"/>). Either is then claimed,
/// delivered and marked by <see cref="IActionOutbox"/>.
/// </summary>
public sealed record OutboxEntry
{
    /// <summary>
    /// The action's id, deterministic. A member action's is <c>len:group|len:member|v{version}|{index}</c>, the
    /// member's saved version that decided it and its place among that save's actions (<see cref="MemberActionIds.For"/>);
    /// a campaign action's is built from its draw, tier, slot and winner (the hosting package's <c>OutboxActionIds</c>).
    /// Unique in the outbox; the handler gets it (<see cref="MemberActionDelivery.ActionId"/>) to make delivery
    /// idempotent on the platform.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>The action: a <see cref="MemberAction"/>, or a campaign's action (<c>CommunityFunnel.Campaigns.CampaignAction</c>).</summary>
    public required OutboxAction Action { get; init; }

    /// <summary>When it was decided (the host's clock at the save or at the campaign's advance).</summary>
    public DateTimeOffset DecidedAt { get; init; }

    /// <summary>Pending, delivered or dead (given up after too many failures).</summary>
    public OutboxState State { get; init; }

    /// <summary>How many deliveries failed.</summary>
    public int Attempts { get; init; }

    /// <summary>When it may next be claimed (its decision instant, then the retry time after a failure).</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>The last failure's message, or <see langword="null"/>.</summary>
    public string? LastError { get; init; }

    /// <summary>When it was delivered or given up, or <see langword="null"/>.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}

/// <summary>The state of an <see cref="OutboxEntry"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutboxState>))]
public enum OutboxState
{
    /// <summary>Waiting for (another) delivery.</summary>
    Pending,

    /// <summary>Delivered to every handler.</summary>
    Delivered,

    /// <summary>Given up after the last allowed attempt failed (a dead letter): an operator looks at it.</summary>
    Dead,
}

/// <summary>How full the outbox is.</summary>
/// <param name="Pending">Entries waiting for delivery.</param>
/// <param name="Dead">Dead letters.</param>
/// <param name="OldestPendingAt">When the oldest pending entry was decided, or <see langword="null"/> when none waits.</param>
public sealed record OutboxStatistics(long Pending, long Dead, DateTimeOffset? OldestPendingAt);

/// <summary>What a handler is told about the delivery of an action from the outbox.</summary>
/// <param name="ActionId">The action's deterministic id (<see cref="OutboxEntry.Id"/>): the same on every retry, from every instance.</param>
/// <param name="Attempt">1 for the first delivery, 2 for the first retry, ...</param>
public sealed record MemberActionDelivery(string ActionId, int Attempt);
