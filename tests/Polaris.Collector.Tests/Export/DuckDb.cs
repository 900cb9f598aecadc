using DuckDB.NET.Data;

namespace Polaris.Collector.Tests.Export;

/// <summary>DuckDB in memory, reading export's files as a data scientist would: the independent reader of the tests.</summary>
internal sealed class DuckDb : IDisposable
{
    private readonly DuckDBConnection _connection = new("Data Source=:memory:");

    public DuckDb() => _connection.Open();

    /// <summary>The parquet files of a table under <paramref name="output"/>, with the day from the path.</summary>
    public static string Parquet(string output, string table) => $"read_parquet('{output}/{table}/*/*.parquet', hive_partitioning = true)";

    /// <summary>The CSV files of a table, types sniffed by DuckDB.</summary>
    public static string Csv(string output, string table) => $"read_csv_auto('{output}/{table}/*/*.csv', hive_partitioning = true)";

    public List<object?[]> Rows(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public long Count(string sql) => Convert.ToInt64(Rows(sql).Single()[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Each group's count: <c>SELECT key, count FROM ...</c> as a dictionary.</summary>
    public Dictionary<string, long> Counts(string sql) =>
        Rows(sql).ToDictionary(r => Convert.ToString(r[0], System.Globalization.CultureInfo.InvariantCulture) ?? "", r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Column names and DuckDB's types of what <paramref name="from"/> reads.</summary>
    public List<(string Name, string Type)> Schema(string from) =>
        Rows($"DESCRIBE SELECT * FROM {from}").Select(r => ((string)r[0]!, (string)r[1]!)).ToList();

    public void Dispose() => _connection.Dispose();
}
