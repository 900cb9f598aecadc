using System.Globalization;

namespace Polaris.Collector.Reports;

/// <summary>A report's answer: a title, columns, and rows of cells (text or numbers), which the table, CSV and JSON
/// writers print alike.</summary>
/// <param name="title">What the table shows, with the days and filters it covers.</param>
/// <param name="columns">The columns' names: lower case with dashes, as JSON keys and CSV headers.</param>
public sealed class ReportTable(string title, IReadOnlyList<string> columns)
{
    private readonly List<object[]> _rows = [];

    // Per row, the distinct users of the group it counts (a library's, a domain's, a day's), or null for a row that
    // counts no users of its own (a total of loads): what Withhold compares with its floor.
    private readonly List<long?> _groupUsers = [];

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>The rows: each cell a <see cref="string"/>, a <see cref="long"/> or a <see cref="double"/>.</summary>
    public IReadOnlyList<object[]> Rows => _rows;

    /// <summary>Lines under the table: what the figures mean where a reader could take them otherwise.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Adds a row of one cell per column.</summary>
    public void Add(params object[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count || cells.Any(c => c is not (string or long or double)))
        {
            throw new ArgumentException($"a row of {Title} needs {Columns.Count} cells, each text, a long or a double");
        }
        _rows.Add(cells);
        _groupUsers.Add(null);
    }

    /// <summary>Adds a row about a group of <paramref name="users"/> distinct users, which
    /// <see cref="Withhold"/> leaves out when they are too few.</summary>
    /// <param name="users">The distinct users the row's figures come from.</param>
    /// <param name="cells">One cell per column.</param>
    public void AddGroup(long users, params object[] cells)
    {
        Add(cells);
        _groupUsers[^1] = users;
    }

    /// <summary>Leaves out every row of a group of fewer than <paramref name="minimumUsers"/> distinct users, and says
    /// so in a note: a read token's k-anonymity floor (<see cref="ReportQuery.MinimumUsers"/>). A group of no users
    /// identifies nobody and stays (coverage's "agent and xalt: 0 jobs" is an answer).</summary>
    /// <returns>The rows left out.</returns>
    public int Withhold(int minimumUsers)
    {
        int withheld = 0;
        for (int i = _rows.Count - 1; i >= 0; i--)
        {
            if (_groupUsers[i] is > 0 and var users && users < minimumUsers)
            {
                _rows.RemoveAt(i);
                _groupUsers.RemoveAt(i);
                withheld++;
            }
        }
        if (withheld > 0)
        {
            Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{withheld} rows of fewer than {minimumUsers} distinct users are not shown (a read token's floor, reportMinimumUsers; the admin token shows every row)"));
        }
        return withheld;
    }
}
