namespace Polaris.EndToEnd.Tests;

/// <summary>Tests that measure the daemon at rest run alone, never beside other tests: on a machine those load, one
/// wake-up of the daemon is preempted and handed between its threads several times, and counts as several.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietMachine
{
    public const string Name = "quiet machine";
}
