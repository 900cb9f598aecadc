using System.Text;
using Polaris.Collector.Scheduler;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>The accounting fixture and ways to read a log in the tests.</summary>
internal static class PbsLogs
{
    /// <summary>A day of a PBS server's accounting log (written in UTC): Q, S, E, D, A and L records, ids with and
    /// without the server, an array subjob, a negative exit status and a wall time past 24 hours.</summary>
    public static string Fixture => Path.Combine(RepoPaths.Root, "tests", "Polaris.Collector.Tests", "Scheduler", "pbs-accounting-20250414.log");

    public static (PbsJobRecord[] Records, PbsImportSummary Summary) Read(byte[] log, TimeZoneInfo? zone = null, bool leavePartialLastLine = false)
    {
        using var stream = new MemoryStream(log);
        var reader = new PbsAccountingReader(stream, zone ?? TimeZoneInfo.Utc, leavePartialLastLine);
        var records = reader.ReadRecords().ToArray();
        return (records, reader.Summary);
    }

    public static (PbsJobRecord[] Records, PbsImportSummary Summary) Read(string log, TimeZoneInfo? zone = null) =>
        Read(Encoding.UTF8.GetBytes(log), zone);

    public static (PbsJobRecord[] Records, PbsImportSummary Summary) ReadFile(string path)
    {
        var records = new List<PbsJobRecord>();
        var summary = PbsAccountingReader.ReadFile(path, TimeZoneInfo.Utc, records.Add);
        return ([.. records], summary);
    }

    /// <summary>An end record with the attributes the collector reads, for tests to spoil one at a time.</summary>
    public static string EndLine(string id = "77.polaris-pbs-01", string attributes = "") =>
        $"04/14/2025 10:02:12;E;{id};user=bob group=users account=Fusion_DD queue=debug start=1744624931 end=1744624932 " +
        $"Resource_List.nodect=1 Exit_status=0 resources_used.walltime=00:00:01 {attributes}";
}
