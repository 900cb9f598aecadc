using System.Diagnostics;
using System.Globalization;
using System.Text;
using Polaris.Agent.Serve.Receive;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.Agent.Tests;

/// <summary>The parser is total: whatever the bytes of a record file, it gives a record within
/// <see cref="SummaryBounds"/> or a <see cref="FormatException"/>, and what it gives can be summarised and sent.</summary>
/// <remarks>Real records written by the hook, mutated where an attacker would aim (RecordMutator). The test runs for a
/// bounded time; <c>scripts/fuzz-records.sh N</c> runs the same fuzzer for N mutations and reports the rate.</remarks>
public class RecordFuzzTests(ITestOutputHelper output)
{
    private static readonly RecordFileName Name = new(Pid: 4242, StartedUnixNs: 1_764_000_000_000_000_000);

    [Fact]
    public void Mutated_real_records_parse_within_bounds_or_are_refused_with_a_format_exception()
    {
        long mutations = long.TryParse(Environment.GetEnvironmentVariable("POLARIS_FUZZ_MUTATIONS"), CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
        var budget = mutations == long.MaxValue ? TimeSpan.FromSeconds(20) : TimeSpan.MaxValue;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("POLARIS_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261130;
        var mutator = new RecordMutator(RecordMutator.RealRecords(), seed);
        // One set of caches for the whole run, as the daemon's reading thread keeps them from record to record.
        var caches = new ReaderCaches();
        var failures = new List<string>();
        var parsed = new List<ProcessRecord>();
        long refused = 0, records = 0, done = 0, mutateTicks = 0, parseTicks = 0, startup = 0;
        var clock = Stopwatch.StartNew();
        for (; done < mutations && clock.Elapsed < budget && failures.Count < 10; done++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var (bytes, what) = mutator.Next();
            long t1 = Stopwatch.GetTimestamp();
            mutateTicks += t1 - t0;
            try
            {
                var record = HookFrames.Parse(bytes, Name, 1001, "asmith", "node01", caches).Record;
                records++;
                parseTicks += Stopwatch.GetTimestamp() - t1;
                startup += record.Times.Any(t => t.Startup) ? 1 : 0;
                if (Violation(record) is { } violation)
                {
                    failures.Add($"{violation} after {what}");
                    Save(bytes, failures.Count);
                }
                parsed.Add(record);
            }
            catch (FormatException)
            {
                refused++;
            }
            catch (Exception e)
            {
                failures.Add($"{e.GetType().Name} after {what}: {e.Message}\n{e.StackTrace}");
                Save(bytes, failures.Count);
            }
            if (parsed.Count == 256)
            {
                SendAll(parsed, failures);
            }
        }
        SendAll(parsed, failures);
        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{done} mutations in {seconds:F1} s: {done / seconds:F0} mutations/s; {records} records ({startup} with start-up modules), {refused} refused (seed {seed})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"of which mutating {mutateTicks / (double)Stopwatch.Frequency:F1} s, parsing those that gave a record {parseTicks / (double)Stopwatch.Frequency:F1} s"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(records > 0 && refused > 0, "the mutations should give both records and refusals");
        // The start-up modules (pre) go through the summary and the batch reader's bounds too.
        Assert.True(startup > 0, "some records should have start-up modules");
    }

    /// <summary>Summarises the records and encodes and decodes their batch, as the daemon and the collector would.</summary>
    private static void SendAll(List<ProcessRecord> records, List<string> failures)
    {
        try
        {
            var summaries = SummaryBuilder.Summarize(records);
            var batch = new Batch { Key = "fuzz", Node = "node01", CreatedAtMs = 1_764_000_000_000, Summaries = summaries };
            BatchCodec.Decode(BatchCodec.Encode(batch));
        }
        catch (Exception e)
        {
            failures.Add($"{e.GetType().Name} summarising or sending {records.Count} mutated records: {e.Message}\n{e.StackTrace}");
        }
        foreach (var record in records)
        {
            ImportTimePool.Return(record.Times);
        }
        records.Clear();
    }

    /// <summary>What in the record is past a bound, or null.</summary>
    internal static string? Violation(ProcessRecord r)
    {
        static bool Long(string text, int max) => Encoding.UTF8.GetByteCount(text) > max;
        if (r.Modules.Count > SummaryBounds.MaxModulesPerRecord)
        {
            return $"{r.Modules.Count} modules";
        }
        if (r.Modules.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != r.Modules.Count)
        {
            return "a module name listed twice";
        }
        if (r.Modules.FirstOrDefault(m => m.Name.Length == 0 || Long(m.Name, SummaryBounds.MaxNameBytes) || Long(m.File, SummaryBounds.MaxPathBytes)
            || Long(m.Version, SummaryBounds.MaxVersionBytes)) is { } module)
        {
            return $"module {module.Name[..Math.Min(40, module.Name.Length)]} past its bounds";
        }
        if (r.Times.Count > r.Modules.Count)
        {
            return $"{r.Times.Count} times for {r.Modules.Count} modules";
        }
        for (int i = 0; i < r.Modules.Count; i++)
        {
            var t = r.TimeOf(i);
            if (t.CumulativeNs < 0 || t.CumulativeNs > SummaryBounds.MaxImportNs || t.SelfNs < 0 || t.SelfNs > t.CumulativeNs)
            {
                return $"import time {t} of {r.Modules[i].Name}";
            }
        }
        if (r.SharedObjects.Count > SummaryBounds.MaxSharedObjectsPerRecord || r.SharedObjects.Any(o => Long(o.Path, SummaryBounds.MaxPathBytes)))
        {
            return "shared objects past their bounds";
        }
        if (Long(r.PythonVersion, SummaryBounds.MaxTextBytes) || Long(r.Environment.Implementation, SummaryBounds.MaxTextBytes)
            || Long(r.ExitReason, SummaryBounds.MaxTextBytes) || Long(r.Executable, SummaryBounds.MaxPathBytes)
            || Long(r.WorkingDirectory, SummaryBounds.MaxPathBytes) || Long(r.Environment.Prefix, SummaryBounds.MaxPathBytes)
            || Long(r.Environment.BasePrefix, SummaryBounds.MaxPathBytes) || Long(r.Job.Script, SummaryBounds.MaxPathBytes)
            || Long(r.Environment.Changes.UserSite, SummaryBounds.MaxPathBytes))
        {
            return "a text past its bound";
        }
        if (r.Job.Variables.Count > SummaryBounds.MaxVariables
            || r.Job.Variables.Any(v => v.Key.Length == 0 || Long(v.Key, SummaryBounds.MaxTextBytes) || Long(v.Value, SummaryBounds.MaxVariableBytes)))
        {
            return "variables past their bounds";
        }
        if (r.StartedAtMs is < SummaryBounds.MinTimeMs or > SummaryBounds.MaxTimeMs || r.EndedAtMs < r.StartedAtMs || r.EndedAtMs > SummaryBounds.MaxTimeMs)
        {
            return $"times {r.StartedAtMs}..{r.EndedAtMs} ms";
        }
        if (r.RuntimeNs is < 0 or > SummaryBounds.MaxRuntimeNs || r.ImportNs is < 0 or > SummaryBounds.MaxRuntimeNs || r.ParentPid < 0)
        {
            return $"runtime {r.RuntimeNs}, import {r.ImportNs}, ppid {r.ParentPid}";
        }
        return null;
    }

    private void Save(byte[] bytes, int index)
    {
        var path = Path.Combine(Path.GetTempPath(), $"polaris-fuzz-{index}.rec");
        File.WriteAllBytes(path, bytes);
        output.WriteLine("kept " + path);
    }
}
