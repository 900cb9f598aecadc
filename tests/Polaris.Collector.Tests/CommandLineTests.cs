using Polaris.Collector.Cli;
using Polaris.Collector.Settings;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>The real <c>polaris-collector</c>'s command line: help and version answer without starting anything, and a
/// wrong command or option is one line and exit 2.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs the built collector in <paramref name="workingDirectory"/> with the environment given.</summary>
    internal static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        CommandResult.Run("dotnet", [CollectorProcess.Dll, .. args], environment, workingDirectory);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("serve --help")]
    [InlineData("serve -h")]
    [InlineData("serve --data /x -h")]
    [InlineData("help serve")]
    [InlineData("--version")]
    [InlineData("version")]
    public void Help_and_version_print_to_stdout_exit_0_and_create_nothing(string args)
    {
        // The data folder the collector would create, were it to start: ./polaris-data, or the variable's.
        var result = Run(_dir.Path, new Dictionary<string, string?> { ["POLARIS_COLLECTOR_DATA"] = _dir.Combine("data") }, args.Split(' '));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StderrText);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        Assert.StartsWith(args.Contains("version", StringComparison.Ordinal) ? "polaris-collector " : "usage: polaris-collector", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_is_the_program_s_name_and_its_version()
    {
        Assert.Equal($"polaris-collector {CollectorInfo.Version}\n", Run(_dir.Path, null, "--version").StdoutText);
    }

    [Fact]
    public void Serve_s_help_lists_every_setting_with_its_default()
    {
        var help = Run(_dir.Path, null, "serve", "--help").StdoutText;

        foreach (var setting in CollectorSettings.All)
        {
            Assert.Contains($"  {setting.Name} ", help, StringComparison.Ordinal);
            Assert.Contains(setting.Default, help, StringComparison.Ordinal);
        }
        Assert.Contains("POLARIS_COLLECTOR_MAX_BATCH_BYTES", help, StringComparison.Ordinal);
        Assert.Contains(CollectorOptions.DefaultConfigFile, help, StringComparison.Ordinal);
    }

    [Fact]
    public void The_program_s_help_lists_every_command()
    {
        var help = Run(_dir.Path, null, "--help").StdoutText;

        Assert.All(Commands.All, command => Assert.Contains($"\n  {command.Name} ", help, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bogus", "unknown command 'bogus' (see 'polaris-collector --help')")]
    [InlineData("-x", "unknown command '-x'")]
    [InlineData("serve --bogus", "unknown option --bogus (see 'polaris-collector serve --help')")]
    [InlineData("--bogus", "unknown option --bogus")]
    [InlineData("serve --data", "option --data needs a value")]
    [InlineData("serve extra", "serve takes no operands: 'extra'")]
    [InlineData("--version extra", "--version takes no arguments")]
    public void A_wrong_command_line_is_one_line_and_exit_2(string args, string message)
    {
        var result = Run(_dir.Path, null, args.Split(' '));

        CommandLineFailureTests.AssertOneLine(result, 2, message);
        Assert.Empty(result.StdoutText);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}
