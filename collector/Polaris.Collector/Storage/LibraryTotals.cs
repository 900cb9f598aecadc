using LiteDB;

namespace Polaris.Collector.Storage;

/// <summary>The running totals behind <c>GET /v1/libraries</c>: Python processes, and per library the processes whose
/// program imported it, over every roll-up the store keeps.</summary>
/// <remarks>
/// Summing the roll-ups on each request read every roll-up of up to <c>rollupRetentionDays</c> (ten years) per
/// request. The totals are kept instead, in memory and in the store (per library in <c>totals</c>, all Python in
/// <c>meta</c>), and move in the transactions that move the roll-ups: the fold adds, the roll-ups' pruning takes away.
/// Changes are staged, written into the caller's transaction, and taken into memory only once it commits, so memory
/// never runs ahead of the store. A store from before them has its totals built from its roll-ups once, when opened.
/// Access under the store's write lock.
/// </remarks>
internal sealed class LibraryTotals
{
    private const string MetaId = "totals";
    private readonly ILiteCollection<BsonDocument> _stored;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly Dictionary<string, long> _libraries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _staged = new(StringComparer.Ordinal);
    private long _processes;
    private long _stagedProcesses;

    private LibraryTotals(ILiteCollection<BsonDocument> stored, ILiteCollection<BsonDocument> meta)
    {
        _stored = stored;
        _meta = meta;
    }

    /// <summary>Python processes, as of the last commit.</summary>
    public long Processes => _processes;

    /// <summary>Per library with any, the processes that imported it, as of the last commit.</summary>
    public IReadOnlyDictionary<string, long> Libraries => _libraries;

    /// <summary>The totals stored in <paramref name="db"/>, built from its roll-ups (one scan, one transaction) when
    /// the store has none yet.</summary>
    public static LibraryTotals Open(LiteDatabase db, ILiteCollection<BsonDocument> rollups, ILiteCollection<BsonDocument> meta)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rollups);
        var totals = new LibraryTotals(db.GetCollection(MetaId), meta);
        if (meta.FindById(MetaId) is { } stored)
        {
            totals._processes = stored["p"].AsInt64;
            foreach (var document in totals._stored.FindAll())
            {
                totals._libraries[document["_id"].AsString] = document["p"].AsInt64;
            }
            return totals;
        }
        foreach (var document in rollups.Query().Select("{ lib: $.lib, p: $.p }").ToEnumerable())
        {
            totals.Stage(document["lib"].AsString, document["p"].AsInt64);
        }
        db.BeginTrans();
        try
        {
            totals.Write();
            // Even for a store without roll-ups: it is built now, and is not built again at the next start.
            meta.Upsert(new BsonDocument { ["_id"] = MetaId, ["p"] = totals._stagedProcesses });
            db.Commit();
        }
        catch
        {
            db.Rollback();
            throw;
        }
        totals.Apply();
        return totals;
    }

    /// <summary>Stages <paramref name="processes"/> (negative: taken away) for <paramref name="library"/>, all Python
    /// when it is empty.</summary>
    public void Stage(string library, long processes)
    {
        if (processes == 0)
        {
            return;
        }
        if (library.Length == 0)
        {
            _stagedProcesses += processes;
        }
        else
        {
            _staged[library] = _staged.GetValueOrDefault(library) + processes;
        }
    }

    /// <summary>Writes the staged totals in the caller's transaction; a library left with none is deleted, so that
    /// what is held is the libraries of the roll-ups kept.</summary>
    public void Write()
    {
        if (_staged.Count == 0 && _stagedProcesses == 0)
        {
            return;
        }
        foreach (var (library, change) in _staged)
        {
            long total = checked(_libraries.GetValueOrDefault(library) + change);
            if (total > 0)
            {
                _stored.Upsert(new BsonDocument { ["_id"] = library, ["p"] = total });
            }
            else
            {
                _stored.Delete(library);
            }
        }
        _meta.Upsert(new BsonDocument { ["_id"] = MetaId, ["p"] = checked(_processes + _stagedProcesses) });
    }

    /// <summary>Takes the staged totals into memory, once the transaction that wrote them committed.</summary>
    public void Apply()
    {
        foreach (var (library, change) in _staged)
        {
            long total = _libraries.GetValueOrDefault(library) + change;
            if (total > 0)
            {
                _libraries[library] = total;
            }
            else
            {
                _libraries.Remove(library);
            }
        }
        _processes += _stagedProcesses;
        Discard();
    }

    /// <summary>Drops the staged totals, when the transaction that wrote them rolled back.</summary>
    public void Discard()
    {
        _staged.Clear();
        _stagedProcesses = 0;
    }
}
