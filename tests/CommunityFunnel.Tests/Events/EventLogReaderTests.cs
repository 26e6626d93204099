using System.Text;
using CommunityFunnel.Events;
using CommunityFunnel.Tests.TestSupport;

namespace CommunityFunnel.Tests.Events;

public sealed class EventLogReaderTests
{
    private const string Join = """{"id":"e1","type":"joined","group":"g-1","member":"m-1","at":"2026-11-01T20:00:00+08:00","channel":"poster"}""";
    private const string Message = """{"id":"e2","type":"message","group":"g-1","member":"m-1","at":"2026-11-01T20:05:00.125+08:00"}""";

    private static List<CommunityEvent> ReadAll(string text, EventLogReader? reader = null)
    {
        reader ??= new EventLogReader();
        return reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();
    }

    private static EventLogException ReadBad(string text) =>
        Assert.Throws<EventLogException>(() => ReadAll(text));

    [Fact]
    public void ReadsEveryField()
    {
        var line = """{"id":"e9","type":"order","group":"g","member":"m","at":"2026-11-03T10:00:00Z","by":"staff-1","amount":19900,"currency":"CNY","extra":{"nested":[1,2]}}""";

        var e = Assert.Single(ReadAll(line));

        Assert.Equal("e9", e.Id);
        Assert.Equal(EventType.Order, e.Type);
        Assert.Equal(19900, e.Amount);
        Assert.Equal("CNY", e.Currency);
        Assert.Equal("staff-1", e.By);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), e.At);
    }

    [Fact]
    public void KeepsTheOffset_AndSubSecondDigits()
    {
        var events = ReadAll(Join + "\n" + Message);

        Assert.Equal(TimeSpan.FromHours(8), events[1].At.Offset);
        Assert.Equal(125, events[1].At.Millisecond);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 12, 5, 0, 125, TimeSpan.Zero).UtcTicks, events[1].AtUtcTicks);
    }

    [Fact]
    public void BlankLines_CrLf_AndAByteOrderMark_AreAccepted()
    {
        var reader = new EventLogReader();
        var events = ReadAll("\uFEFF" + Join + "\r\n\r\n   \n" + Message + "\r\n", reader);

        Assert.Equal(2, events.Count);
        Assert.Equal(2, reader.Statistics.BlankLines);
        Assert.Equal(4, reader.Statistics.Lines);
    }

    [Fact]
    public void LastLine_WithoutNewline_IsRead()
    {
        Assert.Equal(2, ReadAll(Join + "\n" + Message).Count);
    }

    [Fact]
    public void Duplicates_ById_AreIgnored_AndCounted()
    {
        var reader = new EventLogReader();
        var later = Join.Replace("20:00:00", "21:00:00", StringComparison.Ordinal);
        var events = ReadAll(Join + "\n" + Message + "\n" + later + "\n" + Join + "\n", reader);

        Assert.Equal(["e1", "e2"], events.Select(e => e.Id));
        Assert.Equal(20, events[0].At.Hour);
        Assert.Equal(2, reader.Statistics.Duplicates);
        Assert.Equal(2, reader.Statistics.Events);
    }

    [Fact]
    public void Duplicates_CanBeKept_WhenTheCallerAsks()
    {
        var reader = new EventLogReader(new EventLogReaderOptions { IgnoreDuplicates = false });

        Assert.Equal(2, ReadAll(Join + "\n" + Join, reader).Count);
        Assert.Equal(0, reader.Statistics.Duplicates);
    }

    [Theory]
    [InlineData("not json", EventLogRule.InvalidJson)]
    [InlineData("""{"id":"e1","type":"joined" """, EventLogRule.InvalidJson)]
    [InlineData("""{"id":"e1"} {"id":"e2"}""", EventLogRule.InvalidJson)]
    [InlineData("""[1,2]""", EventLogRule.NotAnObject)]
    [InlineData("\"text\"", EventLogRule.NotAnObject)]
    [InlineData("""{"type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"message","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"message","group":"g","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"message","group":"g","member":"m"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":null,"type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"checkin","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"task_approved","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"e","type":"nickname_changed","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":7,"type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.WrongFieldType)]
    [InlineData("""{"id":"e","type":"message","group":["g"],"member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.WrongFieldType)]
    [InlineData("""{"id":"e","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":"100"}""", EventLogRule.WrongFieldType)]
    [InlineData("""{"id":"e","id":"f","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.DuplicateField)]
    [InlineData("""{"id":"e","type":"poke","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.UnknownType)]
    [InlineData("""{"id":"e","type":"Message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""", EventLogRule.UnknownType)]
    [InlineData("""{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00"}""", EventLogRule.InstantWithoutOffset)]
    [InlineData("""{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01"}""", EventLogRule.InstantWithoutOffset)]
    [InlineData("""{"id":"e","type":"message","group":"g","member":"m","at":"2026-13-01T00:00:00Z"}""", EventLogRule.InvalidInstant)]
    [InlineData("""{"id":"e","type":"message","group":"g","member":"m","at":"yesterdayTZ"}""", EventLogRule.InvalidInstant)]
    [InlineData("""{"id":"e","type":"joined","group":"g","member":"m","at":"2026-11-01T00:00:00Z","role":"admin"}""", EventLogRule.InvalidRole)]
    [InlineData("""{"id":"e","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":-5}""", EventLogRule.InvalidAmount)]
    [InlineData("""{"id":"e","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":9.5}""", EventLogRule.InvalidAmount)]
    public void EachKindOfBadLine_NamesItsLineNumberAndRule(string bad, EventLogRule rule)
    {
        var error = ReadBad(Join + "\n\n" + bad + "\n" + Message);

        Assert.Equal(3, error.LineNumber);
        Assert.Equal(rule, error.Rule);
        Assert.StartsWith("line 3: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8_IsAnError_WithItsLine()
    {
        var bytes = Encoding.UTF8.GetBytes(Join + "\n").Concat(new byte[] { (byte)'{', 0xFF, 0xFE, (byte)'}', (byte)'\n' }).ToArray();

        var error = Assert.Throws<EventLogException>(() => new EventLogReader().Read(new MemoryStream(bytes)).ToList());

        Assert.Equal(2, error.LineNumber);
        Assert.Equal(EventLogRule.InvalidUtf8, error.Rule);
    }

    [Fact]
    public void DeeplyNestedJson_IsAnError_NotACrash()
    {
        var deep = """{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z","x":""" + new string('[', 10_000) + new string(']', 10_000) + "}";

        Assert.Equal(EventLogRule.InvalidJson, ReadBad(deep).Rule);
    }

    [Fact]
    public void TooLongLine_IsAnError_AndTheReaderRecovers_WhenAHandlerTakesErrors()
    {
        var errors = new List<EventLogException>();
        var reader = new EventLogReader(new EventLogReaderOptions { MaxLineBytes = 1024, OnInvalidLine = errors.Add });
        var huge = """{"id":"big","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z","pad":""" + "\"" + new string('x', 300_000) + "\"}";

        var events = ReadAll(Join + "\n" + huge + "\n" + Message + "\n", reader);

        Assert.Equal(["e1", "e2"], events.Select(e => e.Id));
        var error = Assert.Single(errors);
        Assert.Equal(EventLogRule.LineTooLong, error.Rule);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal(1, reader.Statistics.InvalidLines);
    }

    [Fact]
    public void TooLongLastLine_WithoutNewline_IsReported()
    {
        var reader = new EventLogReader(new EventLogReaderOptions { MaxLineBytes = 200 });

        var error = Assert.Throws<EventLogException>(() => ReadAll(Join + "\n" + new string('x', 5000), reader));

        Assert.Equal(EventLogRule.LineTooLong, error.Rule);
        Assert.Equal(2, error.LineNumber);
    }

    [Fact]
    public void WithAnErrorHandler_EveryBadLineIsReported_NoneSilently()
    {
        var errors = new List<long>();
        var reader = new EventLogReader(new EventLogReaderOptions { OnInvalidLine = e => errors.Add(e.LineNumber) });

        var events = ReadAll("x\n" + Join + "\n{}\n" + Message + "\n[]", reader);

        Assert.Equal(2, events.Count);
        Assert.Equal([1L, 3L, 5L], errors);
        Assert.Equal(3, reader.Statistics.InvalidLines);
    }

    [Fact]
    public void LinesSpanningManyReadBuffers_AreReassembled()
    {
        var nickname = string.Concat(Enumerable.Repeat("上海-王芳-设计师", 20_000));
        var line = $$"""{"id":"n1","type":"nickname_changed","group":"g","member":"m","at":"2026-11-01T00:00:00Z","nickname":"{{nickname}}"}""";

        var e = Assert.Single(ReadAll(Join.Replace("e1", "e0", StringComparison.Ordinal) + "\n" + line).Skip(1));

        Assert.Equal(nickname, e.Nickname);
    }

    [Fact]
    public async Task ReadAsync_GivesTheSameEvents_AsRead()
    {
        var text = string.Join("\n", Enumerable.Range(0, 5_000).Select(i =>
            $$"""{"id":"e{{i}}","type":"message","group":"g-{{i % 3}}","member":"m-{{i % 97}}","at":"2026-11-01T00:00:{{i % 60:00}}Z"}"""));
        var sync = ReadAll(text);

        var asyncEvents = new List<CommunityEvent>();
        await foreach (var e in new EventLogReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
        {
            asyncEvents.Add(e);
        }

        Assert.Equal(sync, asyncEvents);
        Assert.Equal(5_000, sync.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TrickledInput_GivesTheSameEvents_AsOneBlock(int seed)
    {
        var text = "\uFEFF" + string.Join("\r\n", Enumerable.Range(0, 300).Select(i =>
            i % 17 == 0 ? "   " : $$"""{"id":"e{{i % 250}}","type":"message","group":"g","member":"成员-{{i}}","at":"2026-11-01T00:00:00Z"}"""));
        var bytes = Encoding.UTF8.GetBytes(text);
        var whole = new EventLogReader();
        var trickled = new EventLogReader(new EventLogReaderOptions { MaxLineBytes = 128 });

        var expected = whole.Read(new MemoryStream(bytes)).ToList();
        var actual = trickled.Read(new TrickleStream(bytes, seed)).ToList();

        Assert.Equal(expected, actual);
        Assert.Equal(whole.Statistics.Duplicates, trickled.Statistics.Duplicates);
        Assert.Equal(whole.Statistics.BlankLines, trickled.Statistics.BlankLines);
        Assert.Equal(bytes.Length, trickled.Statistics.BytesRead);
    }

    [Fact]
    public void EscapedText_IsUnescaped_InEveryField()
    {
        var line = """{"id":"e\u0031","type":"jo\u0069ned","group":"g\u002D1","member":"m","at":"2026-11-01T20:00:00\u002B08:00","channel":"\u6d77\u62a5"}""";

        var e = Assert.Single(ReadAll(line));

        Assert.Equal("e1", e.Id);
        Assert.Equal(EventType.Joined, e.Type);
        Assert.Equal("g-1", e.Group);
        Assert.Equal("海报", e.Channel);
        Assert.Equal(TimeSpan.FromHours(8), e.At.Offset);
    }

    [Fact]
    public void EscapedFieldNames_AreRecognised_AndADuplicateOneIsStillADuplicate()
    {
        var line = """{"\u0069d":"e1","typ\u0065":"order","gro\u0075p":"g","member":"m","\u0061t":"2026-11-01T20:00:00Z","amou\u006et":5,"currenc\u0079":"CNY","b\u0079":"s"}""";

        var e = Assert.Single(ReadAll(line));

        Assert.Equal(("e1", EventType.Order, "g", 5L, "CNY", "s"), (e.Id, e.Type, e.Group, e.Amount!.Value, e.Currency, e.By));
        var error = Assert.Throws<EventLogException>(() => ReadAll("""{"id":"e1","\u0069d":"e2","type":"message","group":"g","member":"m","at":"2026-11-01T20:00:00Z"}"""));
        Assert.Equal(EventLogRule.DuplicateField, error.Rule);
    }

    [Theory]
    [InlineData("rol")]
    [InlineData("roles")]
    [InlineData("ID")]
    [InlineData("a")]
    [InlineData("nicknames")]
    public void UnknownFieldNames_OfAKnownNamesLength_AreIgnored(string name)
    {
        var e = Assert.Single(ReadAll(Message.Replace("{", "{\"" + name + "\":\"x\",", StringComparison.Ordinal)));

        Assert.Equal("e2", e.Id);
        Assert.Null(e.Role);
    }

    [Fact]
    public void RepeatedLowCardinalityValues_ShareOneString()
    {
        var events = ReadAll(Join + "\n" + Message);

        Assert.Same(events[0].Group, events[1].Group);
    }

    [Fact]
    public void PooledValues_ThatShareAPoolSlot_AreStillEachTheirOwn()
    {
        // Same length, first and last eight bytes: the pool hashes them alike, so they take turns in one slot.
        string[] groups = ["wrOgQhDg-1-AA0001", "wrOgQhDg-2-AA0001", "wrOgQhDg-3-AA0001", "short", "shorT", string.Empty.PadLeft(64, 'x'), string.Empty.PadLeft(65, 'x')];
        var lines = Enumerable.Range(0, 40).Select(i => Message.Replace("\"e2\"", "\"e" + i + "\"", StringComparison.Ordinal).Replace("\"g-1\"", "\"" + groups[i % groups.Length] + "\"", StringComparison.Ordinal));

        var events = ReadAll(string.Join("\n", lines));

        Assert.Equal(Enumerable.Range(0, 40).Select(i => groups[i % groups.Length]), events.Select(e => e.Group));
    }

    [Fact]
    public void AReader_ReadsOnce()
    {
        var reader = new EventLogReader();
        _ = ReadAll(Join, reader);

        Assert.Throws<InvalidOperationException>(() => ReadAll(Join, reader));
    }

    [Fact]
    public void ReadFile_OpensLazily_AndClosesTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Join + "\n" + Message + "\n");

            Assert.Equal(2, EventLogReader.ReadFile(path).Count());
            File.Delete(path);
            Assert.False(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RepeatedMember_OnConsecutiveLines_SharesOneString_OthersKeepTheirText()
    {
        static string Line(string id, string member) =>
            "{\"id\":\"" + id + "\",\"type\":\"message\",\"group\":\"g-1\",\"member\":\"" + member + "\",\"at\":\"2026-11-01T20:00:00+08:00\"}";
        var longMember = new string('x', 200);
        var text = string.Join("\n", Line("a", "m-1"), Line("b", "m-1"), Line("c", "m-2"), Line("d", "m-1"), Line("e", "m\\u002d1"), Line("f", "m-1"), Line("g", longMember), Line("h", longMember), Line("i", "")) + "\n";

        var events = ReadAll(text, new EventLogReader(new EventLogReaderOptions { OnInvalidLine = _ => { } }));

        Assert.Equal(["m-1", "m-1", "m-2", "m-1", "m-1", "m-1", longMember, longMember], events.Select(e => e.Member).ToArray());
        Assert.Same(events[0].Member, events[1].Member);
        Assert.NotSame(events[1].Member, events[3].Member);
        Assert.Equal(events[4].Member, events[5].Member);
    }

    [Fact]
    public void ReadFileEvents_PresizedIdSet_StillIgnoresDuplicates_AcrossGrowth()
    {
        var path = Path.GetTempFileName();
        try
        {
            var lines = Enumerable.Range(0, 3_000).Select(i => Message.Replace("\"e2\"", "\"e" + (i % 2_000) + "\"", StringComparison.Ordinal));
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            var reader = new EventLogReader();

            Assert.Equal(2_000, reader.ReadFileEvents(path).Count());
            Assert.Equal(1_000, reader.Statistics.Duplicates);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadFileEvents_CarriesAnEstimateOfTheCount_FromTheFileLength()
    {
        var path = Path.GetTempFileName();
        try
        {
            var lines = Enumerable.Range(0, 3_000).Select(i => Message.Replace("\"e2\"", "\"e" + i + "\"", StringComparison.Ordinal));
            File.WriteAllText(path, string.Join("\n", lines) + "\n");

            var events = Assert.IsType<EstimatedEvents>(new EventLogReader().ReadFileEvents(path));
            Assert.Equal(new FileInfo(path).Length / 128, events.ExpectedCount);
            Assert.InRange(events.ExpectedCount, 3_000 / 3, 3_000 * 3);
            Assert.Equal(3_000, events.Count());
            Assert.Equal(0, Assert.IsType<EstimatedEvents>(EventLogReader.ReadFile(path + ".missing")).ExpectedCount);
        }
        finally
        {
            File.Delete(path);
        }
    }
    private static string Order(string amount) =>
        """{"id":"o","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":""" + amount + "}";

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("9007199254740991", CommunityEvent.MaxAmount)]
    public void OrderAmounts_UpTo2Pow53Minus1_AreAccepted(string amount, long expected)
    {
        Assert.Equal(expected, Assert.Single(ReadAll(Order(amount))).Amount);
    }

    [Theory]
    [InlineData("9007199254740992")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("100000000000000000000000000000")]
    [InlineData("-1")]
    [InlineData("-9223372036854775808")]
    [InlineData("1e3")]
    [InlineData("0.0")]
    public void OrderAmounts_OutsideTheRange_AreInvalidAmount_WithTheLineNumber(string amount)
    {
        var error = ReadBad(Join + "\n" + Order(amount));

        Assert.Equal(EventLogRule.InvalidAmount, error.Rule);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains(amount, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventInMemory_CannotCarryAnAmountOutsideTheRange()
    {
        var at = DateTimeOffset.UnixEpoch;
        Assert.Equal(CommunityEvent.MaxAmount, new CommunityEvent("o", EventType.Order, "g", "m", at, amount: CommunityEvent.MaxAmount).Amount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommunityEvent("o", EventType.Order, "g", "m", at, amount: CommunityEvent.MaxAmount + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommunityEvent("o", EventType.Order, "g", "m", at, amount: long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommunityEvent("o", EventType.Order, "g", "m", at, amount: -1));
    }

    public static TheoryData<string> LoneSurrogateLines() => new()
    {
        """{"id":"\udfff","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""",
        """{"id":"e","type":"message","group":"g\ud800","member":"m","at":"2026-11-01T00:00:00Z"}""",
        """{"id":"e","type":"message","group":"g","member":"\udc00m","at":"2026-11-01T00:00:00Z"}""",
        """{"id":"e","type":"\udfffmessage","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""",
        """{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00\udfffZ"}""",
        """{"id":"e","type":"joined","group":"g","member":"m","at":"2026-11-01T00:00:00Z","channel":"\ud83d","role":"member"}""",
        """{"id":"e","type":"joined","group":"g","member":"m","at":"2026-11-01T00:00:00Z","role":"\udfff"}""",
        """{"id":"e","type":"checkin","group":"g","member":"m","at":"2026-11-01T00:00:00Z","task":"t\udfff","by":"x"}""",
        """{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z","by":"\ud800\ud800"}""",
        """{"id":"e","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":1,"currency":"\udfff"}""",
        """{"id":"e","type":"nickname_changed","group":"g","member":"m","at":"2026-11-01T00:00:00Z","nickname":"a\udfffb"}""",
        """{"id":"e","id":"\udfff","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""",
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateLines))]
    public async Task LoneSurrogateEscapes_AreTypedErrors_WithTheLineNumber_InBothReaders(string bad)
    {
        var text = Join + "\n" + bad + "\n" + Message;

        var error = ReadBad(text);
        var asyncError = await Assert.ThrowsAsync<EventLogException>(async () =>
        {
            await foreach (var _ in new EventLogReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
            {
            }
        });

        Assert.Equal(2, error.LineNumber);
        Assert.StartsWith("line 2: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Rule is EventLogRule.InvalidUtf8 or EventLogRule.DuplicateField, error.Message);
        Assert.Equal(error.Message, asyncError.Message);
    }

    [Fact]
    public void ALoneSurrogate_InAString_IsInvalidUtf8_AndAValidPair_IsText()
    {
        var error = ReadBad("""{"id":"\udfff","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""");
        var pair = Assert.Single(ReadAll("""{"id":"\ud83d\ude00","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}"""));

        Assert.Equal(EventLogRule.InvalidUtf8, error.Rule);
        Assert.Contains("UTF-16", error.Message, StringComparison.Ordinal);
        Assert.Equal("\U0001F600", pair.Id);
    }

    [Fact]
    public void ALoneSurrogate_InAFieldTheReaderSkips_IsIgnoredLikeTheField()
    {
        var e = Assert.Single(ReadAll("""{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z","note":"\udfff","x":{"\udfff":1}}"""));

        Assert.Equal("e", e.Id);
    }

    [Fact]
    public void LoneSurrogates_WithAnErrorHandler_AreCountedAndTheReadGoesOn()
    {
        var errors = new List<EventLogException>();
        var reader = new EventLogReader(new EventLogReaderOptions { OnInvalidLine = errors.Add });
        var bad = """{"id":"\udfff","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z"}""";

        var events = ReadAll(Join + "\n" + bad + "\n" + Message, reader);

        Assert.Equal(["e1", "e2"], events.Select(e => e.Id));
        Assert.Equal(2, Assert.Single(errors).LineNumber);
        Assert.Equal(1, reader.Statistics.InvalidLines);
    }

    [Theory]
    [InlineData(128, "\n")]
    [InlineData(200, "\r\n")]
    [InlineData(4096, "\n")]
    [InlineData(100_000, "\r\n")]
    public void MaxLineBytes_IsTheLongestLineAccepted_ExactlyAndNotOneByteMore(int max, string lineEnd)
    {
        var head = """{"id":"e","type":"message","group":"g","member":"m","at":"2026-11-01T00:00:00Z","p":"x""";
        string LineOf(int bytes) => head + new string('x', bytes - head.Length - 2) + "\"}";
        var fits = LineOf(max);
        var over = LineOf(max + 1);
        Assert.Equal(max, Encoding.UTF8.GetByteCount(fits));
        EventLogReader Reader() => new(new EventLogReaderOptions { MaxLineBytes = max });

        var accepted = ReadAll(fits + lineEnd + fits.Replace("\"e\"", "\"f\"", StringComparison.Ordinal), Reader());
        var error = Assert.Throws<EventLogException>(() => ReadAll(fits + lineEnd + over + lineEnd, Reader()));
        var lastLineError = Assert.Throws<EventLogException>(() => ReadAll(fits + lineEnd + over, Reader()));

        Assert.Equal(2, accepted.Count);
        Assert.Equal(EventLogRule.LineTooLong, error.Rule);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains($"longer than {max} bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, lastLineError.LineNumber);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData((1 << 30) + 1)]
    [InlineData(int.MaxValue)]
    public void MaxLineBytes_OutsideItsRange_IsRefused_NamingTheOption(int max)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EventLogReader(new EventLogReaderOptions { MaxLineBytes = max }));

        Assert.Contains("MaxLineBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EventLogReaderOptions.MinLineBytesLimit)]
    [InlineData(EventLogReaderOptions.MaxLineBytesLimit)]
    public void MaxLineBytes_AtTheEndsOfItsRange_IsAccepted(int max)
    {
        var reader = new EventLogReader(new EventLogReaderOptions { MaxLineBytes = max, OnInvalidLine = _ => { } });

        var events = ReadAll(Join + "\n" + Message, reader);

        Assert.Equal(max < Join.Length ? 0 : 2, events.Count);
        Assert.Equal(max < Join.Length ? 2 : 0, reader.Statistics.InvalidLines);
    }
}
