namespace CommunityFunnel.Lottery;

/// <summary>An RFC 6962 inclusion proof that one entry is a leaf of a draw's entries root.</summary>
/// <param name="Entry">The entry's id.</param>
/// <param name="LeafIndex">The entry's index in canonical order.</param>
/// <param name="TreeSize">The number of entries.</param>
/// <param name="Path">The audit path <c>PATH(m, D[n])</c>, hex, leaf to root.</param>
/// <param name="Root">The entries root (hex).</param>
public sealed record InclusionProof(string Entry, long LeafIndex, long TreeSize, IReadOnlyList<string> Path, string Root);
