using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>A record read from a file: complete when the hook wrote its exit frame.</summary>
/// <param name="Record">What the hook reported, before enrichment.</param>
/// <param name="Complete">True when the exit frame is there; false when the process may still be writing or died first.</param>
/// <param name="DroppedFrames">Frames that did not parse and were left out (the record is then marked partial).</param>
public sealed record HookRecord(ProcessRecord Record, bool Complete, int DroppedFrames = 0);
