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
    private readonly FileStream? _file;
    private readonly Utf8JsonWriter? _writer;

    /// <summary>Keeps the actions in <see cref="Kept"/> when <paramref name="keep"/>; writes them to <paramref name="path"/> when given (created or truncated).</summary>
    public LifecycleActionLog(bool keep = true, string? path = null)
    {
        Kept = keep ? [] : null;
        if (path is not null)
        {
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            _writer = new Utf8JsonWriter(_file, LifecycleJson.LineOptions);
        }
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
        if (_writer is not null)
        {
            LifecycleJson.WriteAction(_writer, action);
            _writer.Flush();
            _writer.Reset();
            _file!.WriteByte((byte)'\n');
        }
    }

    /// <summary>Forgets every action (the replay starts over): counts zeroed, the list and the file emptied.</summary>
    public void Restart()
    {
        Array.Clear(_counts);
        Count = 0;
        Kept?.Clear();
        if (_file is not null)
        {
            _file.Flush();
            _file.SetLength(0);
            _file.Position = 0;
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _file?.Dispose();
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
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        using var w = new Utf8JsonWriter(file, LineOptions);
        foreach (var m in members)
        {
            WriteMember(w, m);
            w.Flush();
            w.Reset();
            file.WriteByte((byte)'\n');
        }
    }

    public static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string? Optional(DateTimeOffset? value) => value is { } v ? Instant(v) : null;
}
