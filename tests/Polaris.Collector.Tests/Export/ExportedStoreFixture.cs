using Polaris.Testing;

namespace Polaris.Collector.Tests.Export;

/// <summary>One store of every source for the export tests (importing the fixtures takes seconds), and its Parquet
/// export, made once.</summary>
public sealed class ExportedStoreFixture : IDisposable
{
    private readonly TempDirectory _dir = new("polaris-export");

    public ExportedStoreFixture()
    {
        Data = _dir.Combine("data");
        ExportStore.Fill(Data, _dir.Combine("pms"));
        Parquet = _dir.Combine("parquet");
        ParquetRun = ExportStore.Run("export", "--format", "parquet", "--out", Parquet, "--data", Data);
    }

    public string Data { get; }

    /// <summary>The Parquet export of every day.</summary>
    public string Parquet { get; }

    public CommandResult ParquetRun { get; }

    /// <summary>A fresh folder under the fixture's.</summary>
    public string Folder(string name) => _dir.Combine(name);

    public void Dispose() => _dir.Dispose();
}
