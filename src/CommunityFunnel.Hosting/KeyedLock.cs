namespace CommunityFunnel.Hosting;

/// <summary>One async lock per key (a member), created on first use and dropped when nobody holds or waits for it.</summary>
internal sealed class KeyedLock
{
    private readonly object _gate = new();
    private readonly Dictionary<(string, string), Entry> _entries = [];

    public async Task<Releaser> AcquireAsync(string group, string member, CancellationToken cancellationToken)
    {
        var key = (group, member);
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(key, entry, held: false);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    private void Release((string, string) key, Entry entry, bool held)
    {
        if (held)
        {
            entry.Semaphore.Release();
        }

        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
            }
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    internal readonly struct Releaser : IDisposable
    {
        private readonly KeyedLock _owner;
        private readonly (string, string) _key;
        private readonly Entry _entry;

        public Releaser(KeyedLock owner, (string, string) key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        public void Dispose() => _owner.Release(_key, _entry, held: true);
    }
}
