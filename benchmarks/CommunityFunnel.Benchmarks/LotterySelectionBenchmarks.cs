using BenchmarkDotNet.Attributes;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Weighted selection without replacement of 1 000 winners over 1M entries: the plain O(n·k) walk of the spec
/// (the baseline) next to the Fenwick tree the engine uses, O((n + k) log n). Same stream, same winners.
/// </summary>
[MemoryDiagnoser]
public class LotterySelectionBenchmarks
{
    private long[] _weights = [];
    private readonly byte[] _seed = new byte[32];
    private readonly byte[] _root = new byte[32];

    [Params(1_000_000)]
    public int Entries { get; set; }

    [Params(1_000)]
    public int Winners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _weights = new long[Entries];
        for (var i = 0; i < Entries; i++)
        {
            _weights[i] = random.Next(1, 101);
        }

        random.NextBytes(_seed);
        random.NextBytes(_root);
    }

    [Benchmark(Baseline = true)]
    public long ReferenceWalk()
    {
        var stream = new DrawStream(_seed, "bench"u8, _root, []);
        var removed = new bool[_weights.Length];
        var total = _weights.Sum();
        long checksum = 0;
        for (var k = 0; k < Winners; k++)
        {
            var ticket = (long)stream.Uniform((ulong)total);
            long running = 0;
            for (var i = 0; i < _weights.Length; i++)
            {
                if (removed[i])
                {
                    continue;
                }

                running += _weights[i];
                if (running > ticket)
                {
                    removed[i] = true;
                    total -= _weights[i];
                    checksum += i;
                    break;
                }
            }
        }

        return checksum;
    }

    [Benchmark]
    public long Fenwick()
    {
        var stream = new DrawStream(_seed, "bench"u8, _root, []);
        var tree = new long[_weights.Length + 1];
        _weights.CopyTo(tree, 1);
        var selector = new FenwickSelector(tree);
        long checksum = 0;
        for (var k = 0; k < Winners; k++)
        {
            var ticket = (long)stream.Uniform((ulong)selector.Total);
            var i = selector.Find(ticket);
            selector.Remove(i, _weights[i]);
            checksum += i;
        }

        return checksum;
    }
}
