namespace Polaris.Collector.Bench.Xalt;

/// <summary>What a planned XALT corpus holds, for its summary line.</summary>
internal sealed class CorpusTally
{
    public long Records { get; set; }

    public long RunRecords { get; set; }

    public long Runs { get; set; }

    public long PythonRuns { get; set; }

    public long MpiRuns { get; set; }

    public int Jobs { get; set; }

    public int Hosts { get; set; }
}
