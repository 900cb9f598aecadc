using System.Globalization;
using System.Text;
using System.Text.Json;
using Polaris.Agent.Serve.Spool;

namespace Polaris.Agent.Serve.Status;

/// <summary>The daemon's state at one moment: its counters, what the spool holds, and how delivery goes.</summary>
/// <param name="Counters">Every counter by name (see <see cref="AgentCounters.Values"/>).</param>
/// <param name="SpooledBatches">Batches waiting in the spool.</param>
/// <param name="SpooledBytes">Their size.</param>
/// <param name="LastDeliveryMs">Last acknowledged batch, Unix ms; 0 none since start.</param>
/// <param name="CollectorReachable">1 the last attempt was accepted by a collector (an acknowledgement, or a batch
/// refused as malformed), 0 it was not (no answer, a server error, a refused token), -1 no attempt yet.</param>
/// <param name="StartedMs">When the daemon started, Unix ms.</param>
public sealed record AgentStatus(
    IReadOnlyList<(string Name, long Value, string Help)> Counters,
    int SpooledBatches,
    long SpooledBytes,
    long LastDeliveryMs,
    long CollectorReachable,
    long StartedMs)
{
    /// <summary>1 when the collector refused the daemon's token at the last attempt (HTTP 401 or 403), else 0.</summary>
    public long TokenRefused { get; init; }

    public static AgentStatus Of(AgentCounters counters, BatchSpool spool, long startedMs)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(spool);
        var (batches, bytes) = spool.Size();
        return new(counters.Values(), batches, bytes, counters.LastDeliveryMs, counters.CollectorReachable, startedMs)
        {
            TokenRefused = counters.CollectorTokenRefused,
        };
    }

    /// <summary>What the status socket answers: one JSON object.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", AgentInfo.Version);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteNumber("started_ms", StartedMs);
            json.WriteNumber("spooled_batches", SpooledBatches);
            json.WriteNumber("spooled_bytes", SpooledBytes);
            json.WriteNumber("last_delivery_ms", LastDeliveryMs);
            json.WriteNumber("collector_reachable", CollectorReachable);
            json.WriteNumber("collector_token_refused", TokenRefused);
            // What the daemon holds, for the admin who watches it next to jobs: the managed heap and the process.
            json.WriteNumber("heap_bytes", GC.GetGCMemoryInfo().HeapSizeBytes);
            json.WriteNumber("resident_bytes", Environment.WorkingSet);
            json.WriteStartObject("counters");
            foreach (var (name, value, _) in Counters)
            {
                json.WriteNumber(name, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The node exporter's textfile format: counters as <c>polaris_agent_*_total</c>, state as gauges.</summary>
    public string ToPrometheus()
    {
        var text = new StringBuilder();
        foreach (var (name, value, help) in Counters)
        {
            Metric(text, $"polaris_agent_{name}_total", "counter", help, value);
        }
        Metric(text, "polaris_agent_spooled_batches", "gauge", "Batches waiting in the spool.", SpooledBatches);
        Metric(text, "polaris_agent_spooled_bytes", "gauge", "Bytes waiting in the spool.", SpooledBytes);
        Metric(text, "polaris_agent_last_delivery_timestamp_seconds", "gauge", "When the collector last acknowledged a batch (0: not since start).", LastDeliveryMs / 1000);
        Metric(text, "polaris_agent_collector_reachable", "gauge", "1 when a collector accepted the last delivery attempt, 0 when not (no answer, server error, token refused), -1 before any.", CollectorReachable);
        Metric(text, "polaris_agent_collector_token_refused", "gauge", "1 when the collector refused the daemon's token (HTTP 401/403) at the last attempt.", TokenRefused);
        Metric(text, "polaris_agent_start_time_seconds", "gauge", "When the daemon started.", StartedMs / 1000);
        return text.ToString();
    }

    private static void Metric(StringBuilder text, string metric, string type, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {metric} {help}\n# TYPE {metric} {type}\n{metric} {value}\n");
}
