namespace CommunityFunnel.Lottery;

/// <summary>
/// The drand part of a fair-draw/v1.1 proof (docs/fair-draw.md, "fair-draw/v1.1: a drand round named at creation"):
/// the chain and round named when the draw was created, when the entries closed, and the round's randomness (which is
/// the proof's <c>publicEntropy</c>) and signature as the relay served them.
/// </summary>
/// <param name="Chain">The chain hash (64 lowercase hex digits): quicknet or mainnet.</param>
/// <param name="Round">The round named at creation (1 to 4 294 967 295).</param>
/// <param name="ClosedAt">When the entries closed; the round is published at or after it.</param>
/// <param name="Randomness">The round's randomness (hex, 32 bytes): <c>SHA-256(signature)</c>.</param>
/// <param name="Signature">The round's BLS signature (hex), or <see langword="null"/> when not kept. Not BLS-verified.</param>
public sealed record DrandBeacon(string Chain, long Round, DateTimeOffset ClosedAt, string Randomness, string? Signature);
