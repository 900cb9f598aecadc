namespace Polaris.Wire;

/// <summary>Map keys of the wire format; short, because a batch repeats them once per record.</summary>
internal static class WireKeys
{
    public const string Version = "v";
    public const string Key = "key";
    public const string Node = "node";
    public const string Agent = "agent";
    public const string Created = "created";
    public const string Records = "records";

    public const string Host = "host";
    public const string Uid = "uid";
    public const string User = "user";
    public const string Pid = "pid";
    public const string Python = "py";
    public const string Executable = "exe";
    public const string Started = "start";
    public const string Ended = "end";
    public const string Modules = "mods";
}
