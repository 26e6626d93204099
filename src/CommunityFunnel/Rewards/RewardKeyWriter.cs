namespace CommunityFunnel.Rewards;

/// <summary>
/// Writes ledger and counter keys into a caller's buffer, so the engine can fingerprint a key without making a
/// string; materialising an entry writes the same characters and makes the string then. The caller sizes the
/// buffer (<see cref="CompiledRewardRule.MaxKeyLength"/>).
/// </summary>
internal ref struct RewardKeyWriter(Span<char> buffer)
{
    private readonly Span<char> _buffer = buffer;
    private int _length;

    public readonly ReadOnlySpan<char> Written => _buffer[.._length];

    public void Append(string text)
    {
        text.CopyTo(_buffer[_length..]);
        _length += text.Length;
    }

    public void Append(char c) => _buffer[_length++] = c;

    /// <summary><c>len:member</c>: length-prefixed, so that no member id can forge another's key.</summary>
    public void AppendMember(string member)
    {
        var digits = 1;
        for (var n = member.Length; n >= 10; n /= 10)
        {
            digits++;
        }

        AppendDigits(member.Length, digits);
        Append(':');
        Append(member);
    }

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public void AppendDate(DateOnly date)
    {
        date.Deconstruct(out var year, out var month, out var day);
        AppendMonth(year, month);
        Append('-');
        AppendDigits(day, 2);
    }

    /// <summary><c>yyyy-MM</c>.</summary>
    public void AppendMonth(DateOnly date) => AppendMonth(date.Year, date.Month);

    private void AppendMonth(int year, int month)
    {
        AppendDigits(year, 4);
        Append('-');
        AppendDigits(month, 2);
    }

    private void AppendDigits(int value, int digits)
    {
        for (var i = digits - 1; i >= 0; i--)
        {
            _buffer[_length + i] = (char)('0' + (value % 10));
            value /= 10;
        }

        _length += digits;
    }
}
