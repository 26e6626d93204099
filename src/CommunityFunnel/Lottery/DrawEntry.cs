namespace CommunityFunnel.Lottery;

/// <summary>One entry of a draw: a member (or a salted hash of one) and its number of tickets.</summary>
/// <param name="Id">The entry's id: non-empty, valid Unicode, at most 256 UTF-8 bytes, unique in the draw.</param>
/// <param name="Weight">The entry's tickets: from 1 to 4 294 967 295.</param>
public readonly record struct DrawEntry(string Id, long Weight);
