using System.IO.Hashing;
using LiteDB;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>The part of a summary's module and shared-object lists that the ranks of a job on every node repeat
/// (names, files, kinds, versions, origins, paths), stored once under its hash; summaries keep the hash and what
/// differs.</summary>
/// <remarks>
/// The hash (XXH128 over the values with their lengths) is fast enough to run on every summary of a
/// 10,000-node burst; it is not a cryptographic hash, so a table found under a known hash is compared value by
/// value before a summary refers to it: a user who crafted a colliding module list gets a table of their own
/// (<see cref="CollectorStore"/> tries the next key), never another user's.
/// </remarks>
public sealed class ModuleTable
{
    private ModuleTable(string hash, string[] names, string[] files, byte[] kinds, string[] versions, byte[] origins, string[] objects, byte[] objectOrigins)
    {
        Hash = hash;
        Names = names;
        Files = files;
        Kinds = kinds;
        Versions = versions;
        Origins = origins;
        Objects = objects;
        ObjectOrigins = objectOrigins;
    }

    /// <summary>The content hash, 32 hexadecimal digits.</summary>
    public string Hash { get; }

    /// <summary>Module names, in the summary's order.</summary>
    public string[] Names { get; }

    /// <summary>Module files.</summary>
    public string[] Files { get; }

    /// <summary>Module kinds (<see cref="ModuleKind"/> values).</summary>
    public byte[] Kinds { get; }

    /// <summary>Module versions.</summary>
    public string[] Versions { get; }

    /// <summary>Module origins (<see cref="Origin"/> values).</summary>
    public byte[] Origins { get; }

    /// <summary>Shared-object paths.</summary>
    public string[] Objects { get; }

    /// <summary>Shared-object origins.</summary>
    public byte[] ObjectOrigins { get; }

    /// <summary>What the table's strings hold in memory, for the cache's budget.</summary>
    public long Bytes => 64L + (Names.Length * 40L) + (Objects.Length * 24L)
        + Names.Sum(s => 2L * s.Length) + Files.Sum(s => 2L * s.Length) + Versions.Sum(s => 2L * s.Length) + Objects.Sum(s => 2L * s.Length);

    /// <summary>The table of <paramref name="summary"/>.</summary>
    public static ModuleTable Of(ProcessSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var modules = summary.Modules;
        var objects = summary.SharedObjects;
        var names = new string[modules.Count];
        var files = new string[modules.Count];
        var kinds = new byte[modules.Count];
        var versions = new string[modules.Count];
        var origins = new byte[modules.Count];
        var hash = new XxHash128();
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, modules.Count);
        BitConverter.TryWriteBytes(header[4..], objects.Count);
        hash.Append(header);
        for (int i = 0; i < modules.Count; i++)
        {
            var m = modules[i];
            names[i] = m.Name;
            files[i] = m.File;
            kinds[i] = (byte)m.Kind;
            versions[i] = m.Version;
            origins[i] = (byte)m.Origin;
            HashedText.Append(hash, m.Name);
            HashedText.Append(hash, m.File);
            HashedText.Append(hash, m.Version);
            header[0] = kinds[i];
            header[1] = origins[i];
            hash.Append(header[..2]);
        }
        var paths = new string[objects.Count];
        var objectOrigins = new byte[objects.Count];
        for (int i = 0; i < objects.Count; i++)
        {
            paths[i] = objects[i].Path;
            objectOrigins[i] = (byte)objects[i].Origin;
            HashedText.Append(hash, paths[i]);
            header[0] = objectOrigins[i];
            hash.Append(header[..1]);
        }
        return new ModuleTable(Convert.ToHexStringLower(hash.GetCurrentHash()), names, files, kinds, versions, origins, paths, objectOrigins);
    }

    /// <summary>True when both tables hold the same values (whatever their hashes).</summary>
    public bool SameContent(ModuleTable other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(this, other) || Names.AsSpan().SequenceEqual(other.Names) && Files.AsSpan().SequenceEqual(other.Files)
            && Kinds.AsSpan().SequenceEqual(other.Kinds) && Versions.AsSpan().SequenceEqual(other.Versions)
            && Origins.AsSpan().SequenceEqual(other.Origins) && Objects.AsSpan().SequenceEqual(other.Objects)
            && ObjectOrigins.AsSpan().SequenceEqual(other.ObjectOrigins);
    }

    /// <summary>True when <paramref name="summary"/>'s modules and shared objects are this table's values.</summary>
    public bool SameContent(ProcessSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var modules = summary.Modules;
        var objects = summary.SharedObjects;
        if (modules.Count != Names.Length || objects.Count != Objects.Length)
        {
            return false;
        }
        for (int i = 0; i < modules.Count; i++)
        {
            var m = modules[i];
            if (Kinds[i] != (byte)m.Kind || Origins[i] != (byte)m.Origin || !string.Equals(Names[i], m.Name, StringComparison.Ordinal)
                || !string.Equals(Files[i], m.File, StringComparison.Ordinal) || !string.Equals(Versions[i], m.Version, StringComparison.Ordinal))
            {
                return false;
            }
        }
        for (int i = 0; i < objects.Count; i++)
        {
            if (ObjectOrigins[i] != (byte)objects[i].Origin || !string.Equals(Objects[i], objects[i].Path, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A bound on the bytes of <see cref="ToDocument"/>'s document, from the strings' lengths: when it is under
    /// LiteDB's limit the document need not be serialised to be measured (each XALT run brings a table of its own, and
    /// serialising every one cost an import a few percent).</summary>
    /// <remarks>BSON writes a string element as a type byte, its index as a key (at most 11 bytes with its end), a
    /// length, the UTF-8 bytes (at most 3 per UTF-16 unit) and an end byte.</remarks>
    internal long DocumentBytesAtMost =>
        1024 + Kinds.Length + Origins.Length + ObjectOrigins.Length
        + new[] { Names, Files, Versions, Objects }.Sum(strings => strings.Sum(s => 17L + (3L * s.Length)));

    /// <summary>The stored document, under <paramref name="id"/> (the hash, or the hash and a suffix after a collision).</summary>
    public BsonDocument ToDocument(string id, int day) => new()
    {
        ["_id"] = id,
        ["n"] = Strings(Names),
        ["f"] = Strings(Files),
        ["k"] = new BsonValue(Kinds),
        ["v"] = Strings(Versions),
        ["o"] = new BsonValue(Origins),
        ["so"] = Strings(Objects),
        ["soo"] = new BsonValue(ObjectOrigins),
        ["last"] = day,
    };

    /// <summary>Reads a stored table; null when the document is not one.</summary>
    public static ModuleTable? FromDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            var names = document["n"].AsArray.Select(v => v.AsString).ToArray();
            var files = document["f"].AsArray.Select(v => v.AsString).ToArray();
            var versions = document["v"].AsArray.Select(v => v.AsString).ToArray();
            var objects = document["so"].AsArray.Select(v => v.AsString).ToArray();
            var id = document["_id"].AsString;
            return new ModuleTable(id.Length > 32 ? id[..32] : id, names, files, document["k"].AsBinary, versions, document["o"].AsBinary, objects, document["soo"].AsBinary);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException)
        {
            return null;
        }
    }

    private static BsonArray Strings(string[] values)
    {
        var array = new BsonArray();
        foreach (var v in values)
        {
            array.Add(v);
        }
        return array;
    }
}
