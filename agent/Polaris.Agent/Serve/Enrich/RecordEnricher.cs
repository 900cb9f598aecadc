using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>The daemon's enrich stage: adds to a record what the hook leaves to the daemon, the origin of every file,
/// the environment's kind and changes, and the job and MPI placement.</summary>
/// <remarks>
/// Runs for every record, so everything that touches the disk is cached (folders, environments, node files, homes);
/// once warm, a record of 600 modules costs a few hundred dictionary look-ups and no system call. It never throws
/// on what a record says: a part that cannot be worked out is passed on as received and counted. Thread-safe.
/// </remarks>
public sealed class RecordEnricher
{
    private readonly UserHomes _homes;
    private readonly OriginClassifier _origins;
    private readonly EnvironmentAnalyzer _environments;
    private readonly JobContextReader _jobs;
    private readonly PythonPathEntries _pythonPath;

    /// <param name="options">Hook folder and path roots.</param>
    /// <param name="homeLookup">Finds a uid's home; defaults to the passwd database (tests pass a fake).</param>
    /// <param name="counters">Where the stage counts its work; a private set when null.</param>
    /// <param name="revalidateAfter">How long an environment analysis is trusted before the disk is asked again.</param>
    public RecordEnricher(EnrichOptions options, Func<uint, string?>? homeLookup = null, EnrichCounters? counters = null, TimeSpan? revalidateAfter = null)
    {
        _homes = new UserHomes(homeLookup);
        _origins = new OriginClassifier(options, new EnvironmentRootFinder());
        _environments = new EnvironmentAnalyzer(options, revalidateAfter);
        _jobs = new JobContextReader();
        _pythonPath = new PythonPathEntries(options.HookDirectory);
        Counters = counters ?? new EnrichCounters();
    }

    /// <summary>What the stage has done.</summary>
    public EnrichCounters Counters { get; }

    /// <summary>Environment analyses cut short or skipped at a bound (see <see cref="EnvironmentAnalyzer.Limited"/>).</summary>
    public long EnvironmentsLimited => _environments.Limited;

    /// <summary>Records whose files' origins were worked out past their probe budget (see <see cref="OriginClassifier.Limited"/>).</summary>
    public long OriginsLimited => _origins.Limited;

    /// <summary>The record with origins, environment and job context worked out.</summary>
    public ProcessRecord Enrich(ProcessRecord raw)
    {
        var (enriched, originOf) = EnrichDeferringOrigins(raw);
        try
        {
            return enriched with { Modules = ClassifyModules(raw.Modules, originOf), SharedObjects = ClassifySharedObjects(raw.SharedObjects, originOf) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Counters.PartFailed();
            return enriched;
        }
    }

    /// <summary>The record with environment and job context worked out, and the origin of any of its files on demand.</summary>
    /// <remarks>The daemon's path: a summary asks for the origin of a module only the first time it meets it, so the
    /// ranks of a job pay for their hundreds of modules once, not once each. The function is for one thread at a time.</remarks>
    public (ProcessRecord Record, Func<string, Origin> OriginOf) EnrichDeferringOrigins(ProcessRecord raw)
    {
        TryEnrichDeferringOrigins(raw, mayRead: true, out var enriched);
        return enriched;
    }

    /// <summary>Like <see cref="EnrichDeferringOrigins"/>; with <paramref name="mayRead"/> false it uses only what is
    /// known without touching the disk, and returns false (nothing counted) when the record's environment or node
    /// file would have to be read: the receive thread leaves those records to <see cref="Receive.EnrichQueue"/>.</summary>
    public bool TryEnrichDeferringOrigins(ProcessRecord raw, bool mayRead, out (ProcessRecord Record, Func<string, Origin> OriginOf) enriched)
    {
        ArgumentNullException.ThrowIfNull(raw);
        enriched = (raw, _ => Origin.Unknown);
        var environment = raw.Environment;
        try
        {
            raw.Job.Variables.TryGetValue("PYTHONPATH", out var pythonPath);
            if (!_environments.TryAnalyze(raw.Environment, raw.PythonVersion, _pythonPath.Of(pythonPath), raw.Uid, mayRead, out environment))
            {
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Counters.PartFailed();
        }
        var job = raw.Job;
        try
        {
            if (_jobs.TryRead(raw.Job, raw.Uid, mayRead) is not { } read)
            {
                return false;
            }
            job = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Counters.PartFailed();
        }
        Counters.RecordEnriched();
        Func<string, Origin> originOf = _ => Origin.Unknown;
        try
        {
            var places = ProcessPlaces.Of(raw, _homes.Of(raw.Uid));
            var probes = new ProbeBudget(raw.Uid);
            originOf = path => _origins.Classify(path, places, probes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Counters.PartFailed();
        }
        // One copy of the record, not one per part.
        enriched = (raw with { Environment = environment, Job = job }, originOf);
        return true;
    }

    private static ModuleImport[] ClassifyModules(IReadOnlyList<ModuleImport> modules, Func<string, Origin> originOf)
    {
        var result = new ModuleImport[modules.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var module = modules[i];
            result[i] = module with { Origin = originOf(module.File) };
        }
        return result;
    }

    private static SharedObject[] ClassifySharedObjects(IReadOnlyList<SharedObject> sharedObjects, Func<string, Origin> originOf)
    {
        var result = new SharedObject[sharedObjects.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var sharedObject = sharedObjects[i];
            result[i] = sharedObject with { Origin = originOf(sharedObject.Path) };
        }
        return result;
    }
}
