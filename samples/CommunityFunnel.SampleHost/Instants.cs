using System.Globalization;
using System.Text.RegularExpressions;

namespace CommunityFunnel.SampleHost;

/// <summary>ISO-8601 instants as the sample takes them: with an offset (<c>Z</c> or <c>+08:00</c>), parsed with the invariant culture.</summary>
public static partial class Instants
{
    /// <summary>Parses <paramref name="text"/>; an instant without an offset is refused (it would depend on the machine's zone).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The instant.</param>
    /// <returns>Whether it is an ISO-8601 instant with an offset.</returns>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();
}
