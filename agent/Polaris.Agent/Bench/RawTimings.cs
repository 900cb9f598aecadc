using System.Text.Json;

namespace Polaris.Agent.Bench;

/// <summary>Writes every measured run as JSON (<c>--json FILE</c>), for analysis beyond the table's median.</summary>
/// <remarks>Written with <see cref="Utf8JsonWriter"/>: reflection-based serialization is not available in the AOT agent.</remarks>
public static class RawTimings
{
    public static void Write(string path, MachineFacts machine, Interpreter python, IReadOnlyList<string> args,
        IReadOnlyList<Workload> workloads, IReadOnlyList<Configuration> configurations, IReadOnlyList<Timing> timings)
    {
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("command", ReportHeader.CommandLine(args));
        json.WriteString("agentVersion", AgentInfo.Version);
        json.WriteString("date", machine.Date);
        json.WriteNumber("cores", machine.Cores);
        json.WriteString("cpu", machine.CpuModel);
        json.WriteString("kernel", machine.Kernel);
        json.WriteString("python", python.Path);
        json.WriteString("pythonVersion", python.Version);
        json.WriteStartArray("workloads");
        foreach (var workload in workloads)
        {
            json.WriteStartObject();
            json.WriteString("name", workload.Name);
            json.WriteStartArray("command");
            workload.Command.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("configurations");
        foreach (var configuration in configurations)
        {
            json.WriteStartObject();
            json.WriteString("name", configuration.Name);
            json.WriteStartObject("environment");
            foreach (var (variable, value) in configuration.Assignments)
            {
                json.WriteString(variable, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("runs");
        foreach (var timing in timings)
        {
            json.WriteStartObject();
            json.WriteNumber("round", timing.Round);
            json.WriteString("workload", timing.Workload);
            json.WriteString("config", timing.Configuration);
            json.WriteNumber("ms", Math.Round(timing.Milliseconds, 3));
            json.WriteNumber("exit", timing.ExitCode);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
