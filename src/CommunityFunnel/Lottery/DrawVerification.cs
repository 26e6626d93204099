namespace CommunityFunnel.Lottery;

/// <summary>
/// The outcome of verifying a proof: valid, or the first difference found, named by its field path
/// (e.g. <c>winners[2].ticket</c>) with the recomputed (expected) and the stated (actual) values.
/// </summary>
/// <param name="IsValid">Whether the proof recomputes exactly.</param>
/// <param name="Field">The path of the first differing field; <see langword="null"/> when valid.</param>
/// <param name="Expected">The recomputed value, or the rule the field breaks; <see langword="null"/> when valid.</param>
/// <param name="Actual">The value the proof states; <see langword="null"/> when valid.</param>
public sealed record DrawVerification(bool IsValid, string? Field, string? Expected, string? Actual)
{
    /// <summary>The result for a proof that verifies.</summary>
    public static DrawVerification Valid { get; } = new(true, null, null, null);

    /// <summary>A result naming the first difference.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="expected">The recomputed value or the broken rule.</param>
    /// <param name="actual">The stated value.</param>
    /// <returns>An invalid result.</returns>
    public static DrawVerification Difference(string field, string? expected, string? actual) =>
        new(false, field, expected, actual);

    /// <summary>One line for people: <c>valid</c>, or <c>field: expected X, actual Y</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        IsValid ? "valid" : $"{Field}: expected {Expected ?? "null"}, actual {Actual ?? "null"}";
}
