using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommunityFunnel.Members;

namespace CommunityFunnel.Cli.Lifecycle;

/// <summary>
/// Where a lifecycle replay's actions go as they are decided: counted by kind; kept in a list for a report that
/// prints them, when asked; written as JSON Lines (one <see cref="LifecycleJson.WriteAction"/> object a line) to a
/// file, when given one. Memory stays flat with a file and no list.
/// </summary>
internal sealed class LifecycleActionLog : IDisposable
{
    private readonly long[] _counts = new long[Enum.GetValues<MemberActionKind>().Length];
    private readonly JsonLinesFile? _file;

    /// <summary>Keeps the actions in <see cref="Kept"/> when <paramref name="keep"/>; writes them to <paramref name="path"/> when given (created or truncated).</summary>
    public LifecycleActionLog(bool keep, string? path = null)
    {
        Kept = keep ? [] : null;
        _file = path is null ? null : new JsonLinesFile(path);
    }

    /// <summary>The actions in the order decided, when kept.</summary>
    public List<MemberAction>? Kept { get; }

    /// <summary>Actions decided.</summary>
    public long Count { get; private set; }

    /// <summary>Actions decided of <paramref name="kind"/>.</summary>
    public long CountOf(MemberActionKind kind) => _counts[(int)kind];

    public void Add(MemberAction action)
    {
        _counts[(int)action.Kind]++;
        Count++;
        Kept?.Add(action);
        if (_file is not null)
        {
            LifecycleJson.WriteAction(_file.Writer, action);
            _file.EndLine();
        }
    }

    /// <summary>Forgets every action (the replay starts over): counts zeroed, the list and the file emptied.</summary>
    public void Restart()
    {
        Array.Clear(_counts);
        Count = 0;
        Kept?.Clear();
        _file?.Truncate();
    }

    public void Dispose() => _file?.Dispose();
}

/// <summary>A JSON Lines file written through one compact <see cref="Utf8JsonWriter"/>, 64 KiB at a time.</summary>
internal sealed class JsonLinesFile : IDisposable
{
    private readonly FileStream _file;
    private readonly CliOutput.JsonPieces _json;

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    public JsonLinesFile(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
        _json = new CliOutput.JsonPieces(_file.Write, LifecycleJson.LineOptions);
    }

    /// <summary>Where to write the line's value.</summary>
    public Utf8JsonWriter Writer => _json.Writer;

    /// <summary>Ends the value just written with a line end.</summary>
    public void EndLine() => _json.EndLine();

    /// <summary>Forgets every line written so far.</summary>
    public void Truncate()
    {
        _json.Discard();
        _file.SetLength(0);
        _file.Position = 0;
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}

/// <summary>The JSON shape of an action and of a member's final state, as the replay prints and writes them.</summary>
internal static class LifecycleJson
{
    /// <summary>One JSON value a line: compact, non-ASCII kept readable.</summary>
    public static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void WriteAction(Utf8JsonWriter w, MemberAction a)
    {
        w.WriteStartObject();
        w.WriteString("at", Instant(a.At));
        w.WriteString("kind", LifecycleNames.Action(a.Kind));
        w.WriteString("group", a.Group);
        w.WriteString("member", a.Member);
        w.WriteString("reason", a.Reason == LifecycleReason.None ? null : LifecycleNames.Reason(a.Reason));
        w.WriteString("task", a.Task);
        w.WriteString("deadline", Optional(a.Deadline));
        w.WriteEndObject();
    }

    public static void WriteMember(Utf8JsonWriter w, MemberRecord m)
    {
        w.WriteStartObject();
        w.WriteString("group", m.Group);
        w.WriteString("member", m.Member);
        w.WriteString("state", LifecycleNames.State(m.State));
        w.WriteString("joinedAt", Optional(m.JoinedAt));
        w.WriteString("firstActivityAt", Optional(m.FirstActivityAt));
        w.WriteBoolean("activatedWithinWindow", m.ActivatedWithinWindow);
        w.WriteString("convertedAt", Optional(m.ConvertedAt));
        w.WriteBoolean("joinedBeforeTracking", m.JoinedBeforeTracking);
        w.WriteBoolean("protected", m.Protected);
        w.WriteString("riskReason", m.RiskReason == LifecycleReason.None ? null : LifecycleNames.Reason(m.RiskReason));
        w.WriteString("removalDeadline", Optional(m.RemovalDeadline));
        w.WriteEndObject();
    }

    /// <summary>Writes each member as a JSON line to <paramref name="path"/> (created or truncated).</summary>
    public static void WriteMemberLines(string path, IEnumerable<MemberRecord> members)
    {
        using var file = new JsonLinesFile(path);
        foreach (var m in members)
        {
            WriteMember(file.Writer, m);
            file.EndLine();
        }
    }

    public static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string? Optional(DateTimeOffset? value) => value is { } v ? Instant(v) : null;
}
