using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>An RPM that <c>rpm/build.sh</c> built into <c>artifacts/rpm</c> (the test command builds them first), read
/// with the real <c>rpm</c>.</summary>
public sealed class RpmPackage
{
    private RpmPackage(string name, string file)
    {
        Name = name;
        FilePath = file;
    }

    public string Name { get; }

    public string FilePath { get; }

    /// <summary>The folder the test command builds the RPMs into.</summary>
    public static string Folder => Path.Combine(RepoPaths.Root, "artifacts", "rpm");

    public static RpmPackage Agent => Find("polaris-agent");

    public static RpmPackage Collector => Find("polaris-collector");

    private static RpmPackage Find(string name)
    {
        // NAME-VERSION-RELEASE.x86_64.rpm, the version a number: polaris-agent-0.1.0-1.x86_64.rpm.
        var files = Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, name + "-*.x86_64.rpm").Where(f => char.IsAsciiDigit(Path.GetFileName(f)[name.Length + 1])).ToArray()
            : [];
        return files.Length == 1
            ? new RpmPackage(name, files[0])
            : throw new InvalidOperationException($"expected one {name} RPM in {Folder}, found {files.Length}: run 'bash rpm/build.sh artifacts/rpm' (scripts/test.sh does)");
    }

    /// <summary>Version-release, as <c>%{VERSION}-%{RELEASE}</c>.</summary>
    public string VersionRelease => Query("%{VERSION}-%{RELEASE}");

    public string Version => Query("%{VERSION}");

    /// <summary>Every file the package installs.</summary>
    public IReadOnlyList<PackagedFile> Files() =>
        Query("[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEFLAGS:fflags}|%{FILENAMES}|%{FILELINKTOS}\\n]")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                var fields = line.Split('|');
                var head = fields[0].Split(' ');
                return new PackagedFile(head[0], head[1], head[2], head[3], fields[1], fields[2]);
            })
            .ToArray();

    /// <summary>The package's requirements, one a line (<c>rpm -qp --requires</c>).</summary>
    public string[] Requires() => Rpm("-qp", "--requires", FilePath).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The scriptlets, with rpm's headers (<c>preinstall scriptlet (using /bin/sh):</c>).</summary>
    public string Scripts() => Rpm("-qp", "--scripts", FilePath);

    /// <summary><c>rpm -qp --qf FORMAT</c>.</summary>
    public string Query(string format) => Rpm("-qp", "--qf", format, FilePath);

    /// <summary>Runs rpm, failing with its messages when it fails.</summary>
    public static string Rpm(params string[] arguments)
    {
        var result = CommandResult.Run("rpm", arguments);
        return result.ExitCode == 0 ? result.StdoutText : throw new InvalidOperationException($"rpm {string.Join(' ', arguments)}: exit {result.ExitCode}\n{result.StderrText}");
    }
}
