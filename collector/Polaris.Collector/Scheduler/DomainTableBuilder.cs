using System.Text;
using System.Text.Unicode;

namespace Polaris.Collector.Scheduler;

/// <summary>Takes the lines of a domain table one by one, keeping its rows and counting its junk.</summary>
internal sealed class DomainTableBuilder
{
    // A row is a project (128 bytes), a domain (64) and some quotes and spaces; a longer line is no row.
    private const int MaxRowBytes = 4096;

    private readonly Dictionary<string, string> _domains = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<DomainTableJunk> _junk = [];
    private long _junkLines;
    private bool _beforeFirstRow = true;

    /// <summary>Takes line <paramref name="number"/>, without its newline.</summary>
    public void Line(long number, ReadOnlySpan<byte> line)
    {
        var trimmed = line.Trim(" \t\r"u8);
        if (trimmed.IsEmpty || trimmed[0] == (byte)'#')
        {
            return;
        }
        string? fault = Row(trimmed);
        if (fault != null)
        {
            _junkLines++;
            if (_junk.Count < DomainTable.MaxJunkKept)
            {
                _junk.Add(new DomainTableJunk(number, fault));
            }
        }
    }

    public DomainTable Build() => new(_domains, _junk, _junkLines);

    private string? Row(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxRowBytes)
        {
            return $"longer than {MaxRowBytes} bytes";
        }
        if (!Utf8.IsValid(line))
        {
            return "not valid UTF-8";
        }
        string? fault = DomainCsvLine.Split(Encoding.UTF8.GetString(line), out var project, out var domain);
        bool first = _beforeFirstRow;
        _beforeFirstRow = false;
        if (fault != null)
        {
            return fault;
        }
        if (first && project.Equals("project", StringComparison.OrdinalIgnoreCase) && domain.Equals("domain", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (_domains.Count >= DomainTable.MaxRows)
        {
            return $"past the limit of {DomainTable.MaxRows} rows";
        }
        fault = ProjectFault(project) ?? DomainFault(domain);
        if (fault != null)
        {
            return fault;
        }
        if (!_domains.TryAdd(project, Shared(domain)))
        {
            return "a project listed before (the first row holds)";
        }
        return null;
    }

    private static string? ProjectFault(string project)
    {
        if (project.Length == 0)
        {
            return "the project is empty";
        }
        if (Encoding.UTF8.GetByteCount(project) > DomainTable.MaxProjectBytes)
        {
            return $"the project is longer than {DomainTable.MaxProjectBytes} bytes";
        }
        return project.Any(char.IsControl) ? "the project holds a control character" : null;
    }

    // Domains become Prometheus label values and report columns: short and printable.
    private static string? DomainFault(string domain)
    {
        if (domain.Length == 0)
        {
            return "the domain is empty";
        }
        if (domain.Length > DomainTable.MaxDomainLength || !domain.All(IsDomainCharacter))
        {
            return $"the domain is not 1 to {DomainTable.MaxDomainLength} of A-Z a-z 0-9 space _ . / & + -";
        }
        return domain.Equals(DomainTable.None, StringComparison.OrdinalIgnoreCase)
            ? $"the domain '{DomainTable.None}' is kept for processes outside any job"
            : null;
    }

    private static bool IsDomainCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '.' or '/' or '&' or '+' or '-';

    // One string per domain, however many projects share it.
    private string Shared(string domain)
    {
        if (!_names.TryGetValue(domain, out var shared))
        {
            _names.Add(domain, shared = domain);
        }
        return shared;
    }
}
