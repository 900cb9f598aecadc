namespace Polaris.Wire.Tests;

/// <summary>Tests that measure the managed heap run alone: beside other tests, what those hold alive at the moment of
/// measuring counts too (a decoded batch measured at 60 times its bytes instead of about 8).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurements
{
    public const string Name = "heap measurements";
}
