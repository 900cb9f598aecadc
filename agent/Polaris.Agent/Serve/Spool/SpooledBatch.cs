namespace Polaris.Agent.Serve.Spool;

/// <summary>A batch waiting in the spool.</summary>
/// <param name="Key">The batch's idempotency key.</param>
/// <param name="Path">Its file.</param>
public sealed record SpooledBatch(string Key, string Path);
