using System.Collections;
using System.Runtime.InteropServices;
using Polaris.Agent.Cli;
using Polaris.Agent.Run;

namespace Polaris.Agent.Bench;

/// <summary><c>polaris-agent bench</c>: measures what the hook adds to Python's run time, against bare Python and other tools.</summary>
/// <remarks>
/// It repeats the facility poster's measurement (one library, then 95 libraries) on the machine at hand,
/// with the configurations interleaved so they share its noise; the table goes to stdout, progress to stderr.
/// </remarks>
public static class BenchCommand
{
    public static int Execute(IReadOnlyList<string> args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Json != null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(options.Json))))
        {
            // Found out now rather than after minutes of measuring.
            throw new UsageException($"--json {options.Json}: its folder does not exist");
        }
        var machine = MachineFacts.OfThisMachine();
        var bare = CurrentEnvironment();
        var scratch = Directory.CreateTempSubdirectory("polaris-bench-");
        try
        {
            return Measure(options, args, machine, bare, scratch.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"polaris-agent bench: {e.Message}");
            return 1;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static int Measure(BenchOptions options, IReadOnlyList<string> args, MachineFacts machine, Dictionary<string, string> bare, string scratch)
    {
        var python = Interpreter.Ask(options.Python, bare, scratch);
        var packages = options.Workloads.Contains("many") ? ManyPackages(python, bare, scratch) : [];
        var workloads = Workloads(options, packages);

        // Stopped (by pid) when this method returns, before the scratch folder holding its drop folder is removed.
        using var daemon = options.Agent ? BenchDaemon.Start(scratch, bare) : null;
        // A batch system's SIGTERM or a Ctrl-C ends bench without running its finally blocks: stop the
        // daemon first, so it does not outlive us, then let the signal take its default course.
        void Abandon(PosixSignalContext context)
        {
            daemon?.Dispose();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A workload still writing there; /tmp's cleaner gets it.
            }
        }
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abandon);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abandon);
        var configurations = new List<Configuration> { Configuration.Bare };
        if (daemon != null)
        {
            configurations.Add(AgentConfiguration(bare, daemon));
        }
        configurations.AddRange(options.Configurations);

        var loop = new TimingLoop(workloads, configurations.Select(c => (c, (IReadOnlyDictionary<string, string>)c.EnvironmentOver(bare))).ToArray());
        var timings = loop.Run(options.Warmup, options.Runs, (round, total) =>
            Console.Error.WriteLine($"bench: round {round} of {total}{(round <= options.Warmup ? " (warm-up)" : "")}"));
        var rounds = options.Warmup + options.Runs;
        var expected = workloads.All(w => w.OnePythonProcess) ? rounds * workloads.Count : (int?)null;
        // Records reach the spool within the daemon's batch window (1 s by default).
        var delivered = daemon?.SpooledRecords(expected ?? int.MaxValue, TimeSpan.FromSeconds(expected == null ? 2 : 5));
        daemon?.Dispose();

        var rows = ResultRow.From(workloads, configurations, timings);
        Console.Write(ReportHeader.Format(machine, python, args, workloads, configurations, packages));
        Console.Write(ResultTable.Format(rows));
        if (delivered is { } records)
        {
            ReportDelivery(records, rounds * workloads.Count, expected);
        }
        if (options.Json != null)
        {
            RawTimings.Write(options.Json, machine, python, args, workloads, configurations, timings);
        }
        var broken = rows.Where(r => r.Statistics.AllFailed).ToArray();
        foreach (var row in broken)
        {
            Console.Error.WriteLine($"polaris-agent bench: workload {row.Workload} failed in every run under {row.Configuration}");
        }
        return broken.Length == 0 ? 0 : 1;
    }

    private static Configuration AgentConfiguration(Dictionary<string, string> bare, BenchDaemon daemon)
    {
        var hookDirectory = HookFiles.Directory();
        if (bare.GetValueOrDefault("PYTHONPATH", "").Split(':').Contains(hookDirectory))
        {
            Console.Error.WriteLine("polaris-agent bench: warning: the hook is already on PYTHONPATH, so bare is not bare (started under polaris-agent run?)");
        }
        return Configuration.Differing("agent", bare, RunCommand.HookEnvironment(bare, hookDirectory, daemon.Drop));
    }

    private static void ReportDelivery(int records, int agentRuns, int? expected)
    {
        Console.WriteLine($"# agent: the daemon received {records} records from {agentRuns} runs under agent (warm-up included)");
        if (records < expected)
        {
            Console.Error.WriteLine($"polaris-agent bench: only {records} of {expected} agent runs delivered a record; the agent figures understate its cost");
        }
    }

    private static IReadOnlyList<string> ManyPackages(Interpreter python, Dictionary<string, string> bare, string scratch)
    {
        var candidates = PackageCandidates.In(python.SiteDirectories, python.StandardLibrary);
        Console.Error.WriteLine($"bench: checking which of {candidates.Count} packages in {string.Join(", ", python.SiteDirectories)} import cleanly");
        var check = new ImportCheck(python.Path, bare, scratch);
        var packages = PackageDiscovery.ImportableTogether(
            PackageDiscovery.Importable(candidates, check.Imports, Environment.ProcessorCount),
            check.FirstFailure,
            dropped => Console.Error.WriteLine($"bench: dropping {dropped}: it imports alone but fails after the others"));
        if (packages.Count == 0)
        {
            throw new IOException($"workload many: no package in {python.Path}'s site folders imports cleanly");
        }
        return packages;
    }

    private static List<Workload> Workloads(BenchOptions options, IReadOnlyList<string> packages)
    {
        var workloads = new List<Workload>();
        foreach (var name in options.Workloads)
        {
            workloads.Add(name == "one" ? Workload.ImportOne(options.Python) : Workload.ImportMany(options.Python, packages));
        }
        workloads.AddRange(options.Commands.Select((command, i) => Workload.Shell("cmd" + (i + 1), command)));
        return workloads;
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return result;
    }
}
