using System.Text.RegularExpressions;

namespace CommunityFunnel.Members;

/// <summary>
/// Builds the regex of a policy's nickname pattern: anchored so that the whole nickname must match
/// (<c>\A(?:pattern)\z</c>), culture-invariant, and run by the non-backtracking engine, so matching costs time
/// linear in the nickname's length and can neither hang nor time out, whatever a member sets.
/// </summary>
internal static class NicknameRegex
{
    /// <summary>The compiled regex, or <see langword="null"/> with <paramref name="error"/> saying why the pattern is refused.</summary>
    public static Regex? TryCreate(string pattern, out string? error)
    {
        try
        {
            error = null;
            _ = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking); // alone first: "a)|(b" must not escape the anchors
            return new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException e)
        {
            error = "uses a construct that cannot run in linear time (backreferences, lookarounds, atomic groups, " +
                    "conditionals and balancing groups are refused): " + e.Message;
            return null;
        }
        catch (ArgumentException e)
        {
            error = "is not a valid regular expression: " + e.Message;
            return null;
        }
    }
}
