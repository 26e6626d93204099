using CommunityFunnel.Events;

namespace CommunityFunnel.Telegram;

/// <summary>What one Bot API <c>Update</c> maps to (<see cref="TelegramUpdateMapper.Map"/>).</summary>
/// <param name="UpdateId">The update's <c>update_id</c>.</param>
/// <param name="Kind">Which kind of update it was.</param>
/// <param name="Events">The event-log events: none or one. Their ids come from the chat id, <c>update_id</c> and the
/// update's date, so a re-delivered update maps to the same id, which the reader, the lifecycle and the reward engine
/// ignore the second time.</param>
public sealed record TelegramMappingResult(long UpdateId, TelegramUpdateKind Kind, IReadOnlyList<CommunityEvent> Events);
