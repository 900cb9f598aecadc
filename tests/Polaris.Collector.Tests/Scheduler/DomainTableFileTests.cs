using System.Diagnostics;
using Polaris.Collector.Scheduler;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>The domain table follows its file through the ways files get replaced, and keeps the last good table.</summary>
public class DomainTableFileTests : IDisposable
{
    private const string First = "project,domain\nClimateAI,Earth Science\n";
    private readonly TempDirectory _folder = new();
    private readonly ManualTime _time = new();

    private string TablePath => _folder.Combine("domains.csv");

    public void Dispose() => _folder.Dispose();

    private DomainTableFile Open(string content = First)
    {
        File.WriteAllText(TablePath, content);
        return new DomainTableFile(TablePath, _time);
    }

    [Fact]
    public void The_table_is_loaded_at_once()
    {
        var domains = Open();

        Assert.Equal("Earth Science", domains.Lookup("climateai"));
        Assert.Equal(DomainTable.None, domains.DomainOf("ClimateAI", inJob: false));
        Assert.Equal((1, 0, 0, (string?)null), (domains.Reloads, domains.FailedReloads, domains.JunkLines, domains.LastError));
    }

    [Fact]
    public void The_file_is_examined_at_most_once_per_interval_when_the_table_is_asked_for()
    {
        var domains = Open();
        File.WriteAllText(TablePath, First + "Fusion_DD,Fusion Energy\n");

        Assert.Equal(DomainTable.Unknown, domains.Lookup("Fusion_DD"));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(DomainTable.Unknown, domains.Lookup("Fusion_DD"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("Fusion Energy", domains.Lookup("Fusion_DD"));
        Assert.Equal(2, domains.Reloads);
    }

    [Fact]
    public void An_unchanged_file_is_not_read_again()
    {
        var domains = Open();

        Assert.False(domains.CheckNow());
        _time.Advance(TimeSpan.FromSeconds(5));
        _ = domains.Table;

        Assert.Equal(1, domains.Reloads);
    }

    [Fact]
    public void A_file_renamed_over_the_table_is_taken_even_with_the_same_size_and_time_stamp()
    {
        var domains = Open();
        var replacement = _folder.Combine("domains.csv.new");
        File.WriteAllText(replacement, First.Replace("Earth", "Worlds", StringComparison.Ordinal)[..First.Length]);
        var stamp = new DateTime(2025, 4, 14, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(TablePath, stamp);
        Assert.True(domains.CheckNow());
        File.SetLastWriteTimeUtc(replacement, stamp);
        Assert.Equal(new FileInfo(TablePath).Length, new FileInfo(replacement).Length);

        File.Move(replacement, TablePath, overwrite: true);

        Assert.True(domains.CheckNow());
        Assert.Equal("Worlds Science", domains.Lookup("ClimateAI"));
    }

    [Fact]
    public void An_editors_write_then_rename_and_backup_then_write_are_taken()
    {
        var domains = Open();

        // Write-then-rename (vim's default, many editors' safe save).
        File.WriteAllText(_folder.Combine(".domains.csv.swp"), First + "a,A\n");
        File.Move(_folder.Combine(".domains.csv.swp"), TablePath, overwrite: true);
        Assert.True(domains.CheckNow());
        Assert.Equal("A", domains.Lookup("a"));

        // Rename the original to a backup, then write a new file under the name.
        File.Move(TablePath, TablePath + "~");
        File.WriteAllText(TablePath, First + "b,B\n");
        Assert.True(domains.CheckNow());
        Assert.Equal(("B", DomainTable.Unknown), (domains.Lookup("b"), domains.Lookup("a")));
    }

    [Fact]
    public void A_rewrite_in_place_is_taken()
    {
        var domains = Open();

        File.WriteAllText(TablePath, First + "a,A\n");
        Assert.True(domains.CheckNow());
        Assert.Equal("A", domains.Lookup("a"));

        // Same size: only the modification time tells, and the kernel's file clock ticks every few milliseconds.
        Thread.Sleep(50);
        File.WriteAllText(TablePath, First + "a,Z\n");
        Assert.True(domains.CheckNow());
        Assert.Equal("Z", domains.Lookup("a"));
    }

    [Fact]
    public void A_swapped_symlink_is_followed()
    {
        File.WriteAllText(_folder.Combine("v1.csv"), First);
        File.WriteAllText(_folder.Combine("v2.csv"), First + "a,A\n");
        File.CreateSymbolicLink(TablePath, _folder.Combine("v1.csv"));
        var domains = new DomainTableFile(TablePath, _time);

        File.CreateSymbolicLink(_folder.Combine("next"), _folder.Combine("v2.csv"));
        File.Move(_folder.Combine("next"), TablePath, overwrite: true);

        Assert.True(domains.CheckNow());
        Assert.Equal("A", domains.Lookup("a"));
    }

    [Fact]
    public void A_junk_file_keeps_the_previous_table_until_a_good_one_comes()
    {
        var domains = Open();

        File.WriteAllBytes(TablePath, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        Assert.False(domains.CheckNow());
        Assert.Equal("Earth Science", domains.Lookup("ClimateAI"));
        Assert.Equal(1, domains.FailedReloads);
        Assert.True(domains.JunkLines > 0);
        Assert.Contains("junk lines", domains.LastError, StringComparison.Ordinal);
        Assert.Contains("the previous table is kept", domains.LastError, StringComparison.Ordinal);

        // Refused once: not read again until it changes.
        Assert.False(domains.CheckNow());
        Assert.Equal(1, domains.FailedReloads);

        File.WriteAllText(TablePath, "project,domain\nClimateAI,Climate\nbad line\n");
        Assert.True(domains.CheckNow());
        Assert.Equal(("Climate", 1L, (string?)null), (domains.Lookup("ClimateAI"), domains.JunkLines, domains.LastError));
    }

    [Fact]
    public void A_file_too_large_empty_missing_or_not_a_file_keeps_the_previous_table()
    {
        var domains = Open();

        File.WriteAllBytes(TablePath, new byte[DomainTable.MaxFileBytes + 1]);
        Assert.False(domains.CheckNow());
        Assert.Contains("larger than", domains.LastError, StringComparison.Ordinal);

        File.WriteAllText(TablePath, "");
        Assert.False(domains.CheckNow());
        Assert.Contains("empty", domains.LastError, StringComparison.Ordinal);

        File.Delete(TablePath);
        Assert.False(domains.CheckNow());
        Assert.False(domains.CheckNow());
        Assert.Contains("does not exist", domains.LastError, StringComparison.Ordinal);

        Directory.CreateDirectory(TablePath);
        Assert.False(domains.CheckNow());
        Assert.Contains("not a regular file", domains.LastError, StringComparison.Ordinal);

        Assert.Equal("Earth Science", domains.Lookup("ClimateAI"));
        Assert.Equal((1, 4), (domains.Reloads, domains.FailedReloads));
    }

    [Fact]
    public void A_fifo_is_refused_without_waiting_for_a_writer()
    {
        var domains = Open();
        File.Delete(TablePath);
        using (var mkfifo = Process.Start("mkfifo", TablePath))
        {
            mkfifo.WaitForExit();
        }

        Assert.False(domains.CheckNow());
        Assert.Throws<InvalidDataException>(() => DomainTable.Load(TablePath));
        Assert.Contains("not a regular file", domains.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_missing_at_start_gives_an_empty_table_and_is_taken_when_it_comes()
    {
        var domains = new DomainTableFile(TablePath, _time);

        Assert.Equal(DomainTable.Unknown, domains.Lookup("ClimateAI"));
        Assert.Equal((0, 1), (domains.Reloads, domains.FailedReloads));
        Assert.NotNull(domains.LastError);

        File.WriteAllText(TablePath, First);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Earth Science", domains.Lookup("ClimateAI"));
    }

    [Fact]
    public void A_header_alone_empties_the_table()
    {
        var domains = Open();

        File.WriteAllText(TablePath, "project,domain\n");

        Assert.True(domains.CheckNow());
        Assert.Equal(0, domains.Table.Count);
    }

    [Fact]
    public void Readers_see_whole_tables_while_the_file_is_replaced()
    {
        var versions = Enumerable.Range(0, 20).Select(v => "project,domain\n" + string.Concat(Enumerable.Range(0, 500).Select(p => $"p{p},V{v}\n"))).ToArray();
        File.WriteAllText(TablePath, versions[0]);
        var domains = new DomainTableFile(TablePath, TimeProvider.System, TimeSpan.Zero);
        using var done = new CancellationTokenSource();
        using var reading = new CountdownEvent(3);
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(() =>
        {
            long reads = 0;
            while (!done.IsCancellationRequested)
            {
                var table = domains.Table;
                // A table is one version throughout.
                Assert.Single(table.Domains);
                Assert.Equal(table.Lookup("p0"), table.Lookup("p499"));
                if (reads++ == 0)
                {
                    reading.Signal();
                }
            }
            return reads;
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(reading.Wait(TimeSpan.FromSeconds(30)));

        for (int v = 1; v < versions.Length; v++)
        {
            var next = _folder.Combine("next.csv");
            File.WriteAllText(next, versions[v]);
            File.Move(next, TablePath, overwrite: true);
            Thread.Sleep(20);
        }
        done.Cancel();

        Assert.All(readers, r => Assert.True(r.Result > 0));
        Assert.Equal("V19", domains.Lookup("p0"));
        Assert.Null(domains.LastError);
    }
}
