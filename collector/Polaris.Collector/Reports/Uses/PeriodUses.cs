using Polaris.Collector.Aggregation;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>What the reports over modules, shared objects, packages' versions and jobs need of one source's period
/// (docs/analysis.md, "Speed"): built once from a day's stored summaries when the day is over, united into months,
/// and kept as long as the roll-ups, so that those reports read a year as a dozen bundles rather than a million
/// summaries, and answer past <c>retentionDays</c>.</summary>
/// <remarks>User numbers are kept as stored and every domain apart: a report maps aliases and chooses a domain when it
/// reads them (<see cref="PackedUses"/>).</remarks>
public sealed class PeriodUses
{
    /// <summary>Module entries (a module in a domain) a period holds at most: a facility's day has some tens of
    /// thousands.</summary>
    public const int MaxModules = 500_000;

    /// <summary>The longest top-level package name kept, in characters.</summary>
    public const int MaxPackageName = 200;

    /// <summary>Shared-object and package entries a period holds at most, each.</summary>
    public const int MaxNames = 100_000;

    /// <summary>Every module a process imported, by full name (<c>scipy.linalg</c>), with its kind; users and
    /// processes, not jobs (a big package's hundreds of modules would each repeat its jobs).</summary>
    public UseTable Modules { get; } = new(MaxModules);

    /// <summary>The non-Python shared libraries mapped, by file name (<c>libcudnn.so.9</c>).</summary>
    public UseTable Objects { get; } = new(MaxNames);

    /// <summary>Top-level packages loaded from outside the base environment (<see cref="ProvisioningReport.Outside"/>),
    /// with their versions.</summary>
    public UseTable Outside { get; } = new(MaxNames);

    /// <summary>Top-level packages loaded from the base environment, with their versions.</summary>
    public UseTable Base { get; } = new(MaxNames);

    /// <summary>New entries refused past the tables' bounds.</summary>
    public long Dropped => Modules.Dropped + Objects.Dropped + Outside.Dropped + Base.Dropped + _jobsDropped;

    /// <summary>The jobs, by key.</summary>
    public Dictionary<string, JobUse> Jobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Jobs a period holds at most: job ids come from the users' environments, and may be made up.</summary>
    public const int MaxJobs = 1_000_000;

    private long _jobsDropped;

    /// <summary>The job of <paramref name="key"/>, added when first asked for; null when it is new and
    /// <see cref="MaxJobs"/> are held.</summary>
    public JobUse? Job(string key)
    {
        if (!Jobs.TryGetValue(key, out var job))
        {
            if (Jobs.Count >= MaxJobs)
            {
                _jobsDropped++;
                return null;
            }
            Jobs[key] = job = new JobUse(key);
        }
        return job;
    }

    /// <summary>Takes one stored summary's modules, shared objects and job.</summary>
    public void Add(StoredUses uses)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var facts = uses.Facts;
        long job = facts.JobKey.Length > 0 ? PackedSet.JobNumber(facts.JobKey) : 0;
        var table = uses.Table;
        for (int i = 0; i < table.Names.Length; i++)
        {
            int processes = uses.ModuleProcesses[i];
            if (processes <= 0)
            {
                continue;
            }
            var name = table.Names[i];
            // A Python module's name holds no '|' (the store's key separator) and no package's is hundreds of
            // characters (a key of LiteDB's index holds 1,023 bytes): such a name is a forged one.
            if (name.Contains('|', StringComparison.Ordinal) || UsesSections.TopLevel(name).Length > MaxPackageName)
            {
                Modules.Refuse();
                continue;
            }
            if (Modules.Of(name, facts.Domain) is { } module)
            {
                module.Kind = module.Kind == 0 ? table.Kinds[i] : module.Kind;
                module.Users.Add(facts.Uid);
                module.Processes += processes;
            }
            // Top-level packages only for provisioning: their version is the package's. A private name
            // (_distutils_hack, _cffi_backend) is part of another package, not one to install.
            if (name.Contains('.', StringComparison.Ordinal) || name.StartsWith('_') || !LibraryNames.IsLibrary(name))
            {
                continue;
            }
            var origin = (Origin)table.Origins[i];
            var placed = origin == Origin.BaseEnv ? Base : ProvisioningReport.Outside.Contains(origin) ? Outside : null;
            if (placed?.Of(name, facts.Domain) is { } package)
            {
                package.Users.Add(facts.Uid);
                package.Processes += processes;
                if (package.Version(table.Versions[i]) is { } version)
                {
                    version.Users.Add(facts.Uid);
                    version.Processes += processes;
                }
            }
        }
        for (int i = 0; i < table.Objects.Length; i++)
        {
            var name = Path.GetFileName(table.Objects[i]);
            if (uses.ObjectProcesses[i] <= 0 || SharedObjectsReport.IsPythonExtension(name))
            {
                continue;
            }
            if (Objects.Of(name, facts.Domain) is not { } use)
            {
                continue;
            }
            use.Users.Add(facts.Uid);
            if (job != 0)
            {
                use.Jobs.Add(job);
            }
            use.Processes += uses.ObjectProcesses[i];
        }
    }

    /// <summary>Takes one stored summary's job and processes.</summary>
    public void Add(StoredJobProcesses summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Job(summary.JobKey)?.AddProcesses(summary.Domain, summary.Processes);
    }

    /// <summary>Takes one of the agent's stored summaries' import times: jobs only (outside a job, on login nodes
    /// shared by many, no nodes are held for the process).</summary>
    public void Add(StoredImportTimes summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.JobKey.Length > 0)
        {
            Job(summary.JobKey)?.AddTimes(summary);
        }
    }
}
