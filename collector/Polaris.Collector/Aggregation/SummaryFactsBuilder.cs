using Polaris.Collector.Scheduler;
using Polaris.Wire;

namespace Polaris.Collector.Aggregation;

/// <summary>Works out a summary's <see cref="SummaryFacts"/>: its libraries (a library counts at most once per process,
/// and apart when only start-up loaded it), module loads by origin, import times and home loading.</summary>
public static class SummaryFactsBuilder
{
    /// <summary>The facts of <paramref name="summary"/>; <paramref name="domainOf"/> gives the domain of a job's account
    /// (called only for summaries of a job); <paramref name="receivedDay"/> stands in for a summary without start times.</summary>
    public static SummaryFacts Of(ProcessSummary summary, Func<string, string> domainOf, int receivedDay)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(domainOf);
        int processes = summary.Processes;
        var libraries = new Dictionary<string, Library>(StringComparer.Ordinal);
        var lookup = libraries.GetAlternateLookup<ReadOnlySpan<char>>();
        var order = new List<Library>();
        var home = new MemberSet(processes);
        foreach (var module in summary.Modules)
        {
            if (module.Origin is Origin.Home or Origin.UserSite)
            {
                home.Add(module.Members);
            }
            var name = module.Name.AsSpan();
            int dot = name.IndexOf('.');
            var top = dot < 0 ? name : name[..dot];
            if (!lookup.TryGetValue(top, out var library))
            {
                var topName = dot < 0 ? module.Name : top.ToString();
                if (!LibraryNames.IsLibrary(topName))
                {
                    continue;
                }
                library = new Library(topName, processes);
                libraries.Add(topName, library);
                order.Add(library);
            }
            library.Add(module, isTop: dot < 0);
        }
        var job = summary.Job;
        // The rule the accounting log's records are keyed by, so a job's summaries and its record meet. An id it
        // refuses (past 128 bytes, a control character) is no id PBS gives: such a summary counts outside any job.
        var jobKey = JobKey.Of(job.JobId) ?? "";
        return new SummaryFacts
        {
            Day = DayOf(summary, receivedDay),
            Uid = summary.Uid,
            Source = summary.Source,
            JobKey = jobKey,
            Queue = job.Queue,
            Nodes = job.NodeCount,
            Host = summary.Host,
            Kind = summary.Environment.Kind is EnvironmentKind.Unknown ? "unknown" : summary.Environment.Kind.Name(),
            Domain = jobKey.Length == 0 ? Domains.None : domainOf(job.Account),
            Processes = processes,
            HomeProcesses = home.Count,
            Libraries = order.Select(l => l.Facts()).ToArray(),
        };
    }

    private static int DayOf(ProcessSummary summary, int receivedDay)
    {
        long start = long.MaxValue;
        foreach (var member in summary.Members)
        {
            if (member.StartedAtMs > 0 && member.StartedAtMs < start)
            {
                start = member.StartedAtMs;
            }
        }
        return start == long.MaxValue ? receivedDay : Days.Of(DateTimeOffset.FromUnixTimeMilliseconds(start).UtcDateTime);
    }

    /// <summary>One library while its module entries are walked.</summary>
    private sealed class Library(string name, int processes)
    {
        private readonly MemberSet _all = new(processes);
        private readonly MemberSet _program = new(processes);
        private readonly LibraryFacts _facts = new(name);

        public void Add(ModuleUse module, bool isTop)
        {
            _all.Add(module.Members);
            // A module that every process of the entry had from start-up is not the program's import; an entry only
            // some processes had from start-up counts for the program (members are not told apart by the wire).
            if (module.StartupProcesses < module.Processes)
            {
                _program.Add(module.Members);
            }
            _facts.OriginLoads[(int)module.Origin] += module.Processes;
            if (isTop)
            {
                _facts.ImportNs.Add(module.CumulativeNs);
            }
        }

        public LibraryFacts Facts()
        {
            _facts.Processes = _program.Count;
            _facts.StartupProcesses = _all.Count - _facts.Processes;
            return _facts;
        }

    }
}
