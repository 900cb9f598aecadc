namespace Polaris.Agent.Bench;

/// <summary>One measured run of a workload under a configuration.</summary>
/// <param name="Round">The measured round it belongs to, from 0 (warm-up rounds are not kept).</param>
/// <param name="Workload">The workload's name.</param>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Milliseconds">Wall time from the spawn to the reaped exit.</param>
/// <param name="ExitCode">The exit status; 128 + N for signal N; 127 when it could not be started.</param>
public sealed record Timing(int Round, string Workload, string Configuration, double Milliseconds, int ExitCode)
{
    public bool Succeeded => ExitCode == 0;
}
