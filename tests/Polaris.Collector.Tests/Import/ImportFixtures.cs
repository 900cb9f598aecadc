using System.Formats.Tar;
using System.Text.Json;
using Polaris.Collector.Import;
using Polaris.Testing;
using ZstdSharp;

namespace Polaris.Collector.Tests.Import;

/// <summary>The XALT and PyModuleSnooper fixtures (tests/fixtures) and the readers run over them.</summary>
internal static class ImportFixtures
{
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "fixtures");

    public static string XaltArchive => Path.Combine(Folder, "xalt.tar.zst");

    public static string PmsArchive => Path.Combine(Folder, "pms.tar.zst");

    public static JsonElement Truth { get; } = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "truth.json"))).RootElement;

    /// <summary>Unpacks a <c>.tar.zst</c> into <paramref name="folder"/> with the framework's tar, not the walker.</summary>
    public static void Unpack(string archive, string folder)
    {
        Directory.CreateDirectory(folder);
        using var file = File.OpenRead(archive);
        using var zstd = new DecompressionStream(file);
        TarFile.ExtractToDirectory(zstd, folder, overwriteFiles: false);
    }

    public static (List<ImportedProcess> Processes, ImportTally Tally) Xalt(params string[] paths)
    {
        var tally = new ImportTally();
        var processes = new XaltReader(tally).Read(new ImportInputs(tally).Walk(paths)).ToList();
        return (processes, tally);
    }

    public static (List<ImportedProcess> Processes, ImportTally Tally) Pms(params string[] paths)
    {
        var tally = new ImportTally();
        var processes = new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read(new ImportInputs(tally).Walk(paths)).ToList();
        return (processes, tally);
    }

    /// <summary>An entry of bytes in memory, as the walker would hand out a plain file.</summary>
    public static ImportEntry Entry(string name, byte[] bytes) => new(name, new MemoryStream(bytes, writable: false), bytes.Length);

    /// <summary>Everything a process holds, in one line, so that two reads compare whole.</summary>
    public static string Describe(ImportedProcess p) =>
        string.Join('|', p.SourceName, p.Identity, p.User, p.JobId, p.Account, p.Queue, p.Host, p.Start.UtcTicks, p.Executable,
            p.WorkingDirectory, p.NodeCount, p.Rank, p.Clips,
            string.Join(',', p.Modules.Select(m => $"{m.Name}={m.File}@{m.Version}")),
            string.Join(',', p.SharedObjects.Select(s => s.Path)),
            string.Join(',', p.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")));

    public static string[] DescribeAll(IEnumerable<ImportedProcess> processes) =>
        processes.Select(Describe).Order(StringComparer.Ordinal).ToArray();
}
