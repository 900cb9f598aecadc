using System.Text.Json;

namespace Polaris.Collector.Tests.Import;

/// <summary>PyModuleSnooper lines made in a test, shaped as the tool writes them.</summary>
internal static class PmsLines
{
    public static string Line(int pid = 10548, string timestamp = "11-25-2026 14:35:45.519657", Dictionary<string, string>? env = null,
        Dictionary<string, string>? modules = null, Dictionary<string, string>? versions = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["timestamp"] = timestamp,
            ["sys.executable"] = "/usr/bin/python3",
            ["sys.argv"] = new[] { "train.py", "--secret-arg" },
            ["sys.path"] = new[] { "/home/bjones/runs" },
            ["env"] = env ?? new Dictionary<string, string>
            {
                ["PBS_JOBID"] = "1234503.polaris-pbs-01", ["PBS_ACCOUNT"] = "CompSciProj", ["PBS_QUEUE"] = "prod",
                ["USER"] = "bjones", ["LOGNAME"] = "bjones", ["HOME"] = "/home/bjones", ["PATH"] = "/usr/bin",
                ["PBS_O_MAIL"] = "/var/mail/bjones", ["PWD"] = "/home/bjones/runs",
            },
            ["hostname"] = "vm",
            ["pid"] = pid,
            ["modules"] = modules ?? new Dictionary<string, string> { ["numpy"] = "/usr/lib/python3/dist-packages/numpy/__init__.py", ["os"] = "/usr/lib/python3.11/os.py" },
            ["versions"] = versions ?? new Dictionary<string, string> { ["numpy"] = "1.24.2", ["os"] = "None" },
        });
}
