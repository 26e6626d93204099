namespace CommunityFunnel.Telegram;

/// <summary>A message of a chat, as Telegram identifies it: the chat id and the message id within that chat.</summary>
/// <param name="ChatId">The chat's <c>id</c> (a supergroup's is negative, e.g. <c>-1001234567890</c>).</param>
/// <param name="MessageId">The message's <c>message_id</c> in that chat.</param>
public readonly record struct TelegramMessageKey(long ChatId, long MessageId);
