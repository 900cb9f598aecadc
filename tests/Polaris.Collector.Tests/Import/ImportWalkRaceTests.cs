using Polaris.Collector.Import;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Import;

/// <summary>A folder's owner changes it while the walk runs: what the walk examined is what it reads, or nothing. A
/// FIFO never holds the walk up, and a link put in a file's or folder's place is never followed.</summary>
public class ImportWalkRaceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Files_swapped_for_a_fifo_a_link_or_another_file_after_the_walk_examined_them_are_not_read()
    {
        using var folder = new TempDirectory();
        using var outside = new TempDirectory();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            File.WriteAllText(folder.Combine(name), PmsLines.Line(pid: name[0]) + "\n");
        }
        FileOwners.Fifo(folder.Combine("e-fifo"));
        File.WriteAllText(outside.Combine("secret"), PmsLines.Line(pid: 99) + "\n");
        var tally = new ImportTally();

        var walk = Task.Run(() => Names(new ImportInputs(tally).Walk([folder.Path]), first: () =>
        {
            // The folder was listed and its files examined: b becomes a FIFO, c a link out of the tree, d another file.
            File.Delete(folder.Combine("b"));
            FileOwners.Fifo(folder.Combine("b"));
            File.Delete(folder.Combine("c"));
            File.CreateSymbolicLink(folder.Combine("c"), outside.Combine("secret"));
            File.WriteAllText(folder.Combine("d.new"), PmsLines.Line(pid: 98) + "\n");
            File.Move(folder.Combine("d.new"), folder.Combine("d"), overwrite: true);
        }));

        // A walk that waited on the FIFO would throw TimeoutException here.
        Assert.Equal(["a"], await walk.WaitAsync(Patience));
        Assert.Equal([folder.Combine("b"), folder.Combine("c"), folder.Combine("d")], tally.ExamplesOf(ImportInputs.Changed));
        Assert.Equal([folder.Combine("e-fifo")], tally.ExamplesOf("empty file or not a regular file"));
    }

    [Fact]
    public void A_folder_swapped_for_a_link_after_the_walk_examined_it_is_not_entered()
    {
        using var folder = new TempDirectory();
        using var outside = new TempDirectory();
        File.WriteAllText(folder.Combine("a"), PmsLines.Line(pid: 1) + "\n");
        Directory.CreateDirectory(folder.Combine("sub"));
        File.WriteAllText(folder.Combine("sub", "x"), PmsLines.Line(pid: 2) + "\n");
        File.WriteAllText(outside.Combine("x"), PmsLines.Line(pid: 99) + "\n");
        var tally = new ImportTally();

        var names = Names(new ImportInputs(tally).Walk([folder.Path]), first: () =>
        {
            Directory.Move(folder.Combine("sub"), outside.Combine("moved"));
            Directory.CreateSymbolicLink(folder.Combine("sub"), outside.Path);
        });

        Assert.Equal(["a"], names);
        Assert.Equal([folder.Combine("sub")], tally.ExamplesOf(ImportInputs.Changed));
    }

    [Fact]
    public async Task A_fifo_named_on_the_command_line_is_skipped_without_waiting()
    {
        using var folder = new TempDirectory();
        FileOwners.Fifo(folder.Combine("fifo"));
        var tally = new ImportTally();

        var walk = Task.Run(() => Names(new ImportInputs(tally).Walk([folder.Combine("fifo")]), first: () => { }));

        Assert.Empty(await walk.WaitAsync(Patience));
        Assert.Equal(1, tally.Skipped["not a regular file or folder"]);
    }

    // The names of the entries walked; `first` runs once the first entry is in hand (and the folder was listed).
    private static List<string> Names(IEnumerable<ImportEntry> walk, Action first)
    {
        var names = new List<string>();
        foreach (var entry in walk)
        {
            names.Add(entry.FileName);
            if (names.Count == 1)
            {
                first();
            }
        }
        return names;
    }
}
