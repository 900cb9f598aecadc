namespace Polaris.Wire;

/// <summary>An estimate of the memory the objects decoded from one batch hold, taken from a caller's budget before
/// they are made.</summary>
/// <remarks>
/// A batch's MessagePack is 64 MiB at most, but small entries decode to objects many times their bytes: a module of
/// a one-byte name is about 20 bytes on the wire and about 400 in memory (its record, two distributions, a list,
/// strings of UTF-16), a member's variable of one-byte name and value 4 bytes and about 90. The estimate follows
/// the objects' layout on a 64-bit runtime, rounded up; text, which is most of a real batch, takes two bytes a
/// character, so a real batch decodes to about twice its MessagePack. Transient objects (map keys the reader
/// compares, kinds it parses) are not counted. Bytes are reserved ahead in chunks, so the caller's budget is touched
/// once per <see cref="ChunkBytes"/>, not once per string.
/// </remarks>
internal sealed class DecodedBytes(Action<int>? reserve)
{
    /// <summary>What is reserved of the caller's budget at a time.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>An object's header and method table pointer.</summary>
    public const int ObjectBytes = 16;

    /// <summary>A list or dictionary object, apart from its array.</summary>
    public const int CollectionBytes = 48;

    /// <summary>A reference in a list's array, doubled for the arrays it grew through.</summary>
    public const int SlotBytes = 16;

    /// <summary>A dictionary entry (hash, next, key, value) and its bucket, rounded up for the prime capacity.</summary>
    public const int EntryBytes = 40;

    private long _reserved;

    /// <summary>Bytes estimated so far.</summary>
    public long Total { get; private set; }

    /// <summary>A string decoded from <paramref name="utf8Bytes"/> of UTF-8: at most as many UTF-16 characters.</summary>
    public static long String(long utf8Bytes) => 24 + (2 * utf8Bytes);

    /// <summary>A list of <paramref name="count"/> references.</summary>
    public static long List(int count) => CollectionBytes + ((long)SlotBytes * count);

    /// <summary>A dictionary of <paramref name="count"/> entries.</summary>
    public static long Dictionary(int count) => CollectionBytes + 32 + ((long)EntryBytes * count);

    /// <summary>Counts <paramref name="bytes"/> more, reserving from the budget first when they pass what is reserved.</summary>
    /// <exception cref="Exception">Whatever the budget throws when it has not that much left.</exception>
    public void Add(long bytes)
    {
        Total += bytes;
        while (Total > _reserved)
        {
            int chunk = (int)Math.Min(int.MaxValue, Math.Max(ChunkBytes, Total - _reserved));
            reserve?.Invoke(chunk);
            _reserved += chunk;
        }
    }
}
