using LiteDB;
using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Storage;

/// <summary>One stored summary as the reports over modules and shared objects read it: its facts, its module table,
/// and how many of its processes imported each module and mapped each shared object (the table's order).</summary>
/// <param name="Facts">The summary's facts (user, job, source, day).</param>
/// <param name="Table">Its module table, stored once for every summary that has it.</param>
/// <param name="ModuleProcesses">Per module of the table, the processes that imported it.</param>
/// <param name="ObjectProcesses">Per shared object of the table, the processes that mapped it.</param>
public sealed record StoredUses(SummaryFacts Facts, ModuleTable Table, int[] ModuleProcesses, long[] ObjectProcesses)
{
    /// <summary>Reads the uses of <paramref name="document"/>: every process for each entry, but where its deviations
    /// (<c>dev</c>, <see cref="SummaryDocument"/>) say otherwise.</summary>
    internal static StoredUses Of(BsonDocument document, ModuleTable table)
    {
        int processes = document["procs"].AsInt32;
        var modules = Enumerable.Repeat(processes, table.Names.Length).ToArray();
        var objects = Enumerable.Repeat((long)processes, table.Objects.Length).ToArray();
        if (document["dev"].IsDocument)
        {
            foreach (var d in document["dev"]["m"].AsArray)
            {
                if (d[0].AsInt32 is int i && i >= 0 && i < modules.Length)
                {
                    modules[i] = d[1].AsInt32;
                }
            }
            foreach (var d in document["dev"]["so"].AsArray)
            {
                if (d[0].AsInt32 is int i && i >= 0 && i < objects.Length)
                {
                    objects[i] = d[1].AsInt64;
                }
            }
        }
        return new StoredUses(FactsDocument.Read(document), table, modules, objects);
    }
}
