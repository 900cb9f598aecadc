using System.Text;

namespace Polaris.Collector.Export;

/// <summary>A partition as one CSV file (RFC 4180): a header of the column names, then one line per row; a field with
/// a comma, a quote or a line break is quoted, its quotes doubled; a null is an empty field.</summary>
public sealed class CsvPartitionWriter<TRow> : PartitionWriter<TRow>
{
    private StreamWriter? _writer;

    public CsvPartitionWriter(ExportTable<TRow> table, string path) : base(table, path)
    {
    }

    private StreamWriter Writer()
    {
        if (_writer == null)
        {
            _writer = new StreamWriter(TemporaryPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" };
            _writer.WriteLine(string.Join(',', Table.Columns.Select(c => Field(c.Name))));
        }
        return _writer;
    }

    protected override async Task WriteGroupAsync(IReadOnlyList<TRow> rows)
    {
        var writer = Writer();
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (int i = 0; i < Table.Columns.Count; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }
                line.Append(Field(Table.Columns[i].Text(row)));
            }
            await writer.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    protected override async ValueTask CloseAsync()
    {
        var writer = Writer();
        await writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
    }

    private static string Field(string? value) =>
        value == null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") < 0 && value.Length > 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
