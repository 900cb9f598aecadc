using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>A module as the hook reported it: its import's start and end (monotonic clock readings in ns; both 0
/// for modules loaded before the hook), and the thread that imported it.</summary>
internal sealed record TimedImport(ModuleImport Module, long Start, long End, long Thread, int Seen)
{
    public bool IsTimed => End > Start;

    public long Cumulative => End - Start;
}
