namespace Polaris.Wire;

/// <summary>Map keys of the wire format; short, because a batch repeats them once per record.</summary>
internal static class WireKeys
{
    public const string Version = "v";
    public const string Key = "key";
    public const string Node = "node";
    public const string Agent = "agent";
    public const string Created = "created";
    public const string Summaries = "sums";
    public const string Members = "members";

    public const string Host = "host";
    public const string Uid = "uid";
    public const string User = "user";
    public const string Python = "py";
    public const string Executable = "exe";
    public const string Modules = "mods";
    public const string SharedObjects = "sos";
    public const string Environment = "env";
    public const string Job = "job";

    public const string Implementation = "impl";
    public const string Prefix = "prefix";
    public const string BasePrefix = "base";
    public const string Kind = "kind";
    public const string Name = "name";
    public const string Changes = "changes";

    public const string CondaAdded = "added";
    public const string CondaRemoved = "removed";
    public const string CondaChanged = "changed";
    public const string Pip = "pip";
    public const string UserSite = "usersite";
    public const string PythonPath = "pypath";

    public const string JobId = "id";
    public const string Account = "account";
    public const string Queue = "queue";
    public const string Nodes = "nodes";
    public const string Rank = "rank";
    public const string Size = "size";
    public const string Script = "script";
    public const string Variables = "vars";

    public const string SummaryId = "sid";
    public const string SummaryVersion = "ver";
    public const string Final = "final";
    public const string Source = "src";

    public const string Clipped = "clip";
    public const string ClippedModules = "modules";
    public const string ClippedSharedObjects = "objects";
    public const string ClippedTexts = "texts";
    public const string ClippedNumbers = "numbers";
}
