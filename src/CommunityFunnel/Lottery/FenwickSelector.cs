namespace CommunityFunnel.Lottery;

/// <summary>
/// Weighted selection without replacement over entries in canonical order: a Fenwick tree of weights, so finding
/// the entry holding ticket <c>t</c> and removing a winner each take O(log n).
/// </summary>
internal sealed class FenwickSelector
{
    private readonly long[] _tree;
    private readonly int _count;
    private readonly int _topStep;

    /// <summary>
    /// Builds the tree in O(n), in place: <paramref name="tree"/> has <c>n + 1</c> items, item <c>i + 1</c> holding
    /// the weight of canonical entry <c>i</c> (item 0 unused). The selector owns the array afterwards.
    /// </summary>
    public FenwickSelector(long[] tree)
    {
        _tree = tree;
        _count = tree.Length - 1;
        long total = 0;
        for (var i = 1; i <= _count; i++)
        {
            total = checked(total + tree[i]);
        }

        for (var i = 1; i <= _count; i++)
        {
            var parent = i + (i & -i);
            if (parent <= _count)
            {
                _tree[parent] += _tree[i];
            }
        }

        _topStep = 1;
        while (_topStep <= _count / 2)
        {
            _topStep <<= 1;
        }

        Total = total;
        Remaining = _count;
    }

    /// <summary>The sum of the weights still in the tree.</summary>
    public long Total { get; private set; }

    /// <summary>How many entries are still in the tree.</summary>
    public int Remaining { get; private set; }

    /// <summary>The canonical index of the first entry whose running total exceeds <paramref name="ticket"/>.</summary>
    public int Find(long ticket)
    {
        var position = 0;
        var rest = ticket;
        for (var step = _topStep; step > 0; step >>= 1)
        {
            var next = position + step;
            if (next <= _count && _tree[next] <= rest)
            {
                position = next;
                rest -= _tree[next];
            }
        }

        return position;
    }

    /// <summary>Removes entry <paramref name="index"/> of weight <paramref name="weight"/>.</summary>
    public void Remove(int index, long weight)
    {
        for (var i = index + 1; i <= _count; i += i & -i)
        {
            _tree[i] -= weight;
        }

        Total -= weight;
        Remaining--;
    }
}
