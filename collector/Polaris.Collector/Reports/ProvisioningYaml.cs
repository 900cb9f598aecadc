using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Polaris.Collector.Reports;

/// <summary>The provisioning report's candidates as a conda <c>environment.yml</c> fragment: each pinned to the
/// version most of its users had, a comment with its users, domains and the base environment's version, to diff
/// against the base's own file.</summary>
/// <remarks>Every name, version and domain here is what a process or a request sent, and an admin may feed the file
/// to <c>conda env update</c>: a dependency is written only when its name is a package name and its pin a version
/// (else the pin is left out), quoted; comments keep printable ASCII only, so no text can end a line and start YAML.</remarks>
public static partial class ProvisioningYaml
{
    /// <summary>Writes the fragment of <paramref name="candidates"/>; those of fewer than
    /// <see cref="ReportQuery.MinimumUsers"/> users are left out, and the comments say how many.</summary>
    public static void Write(TextWriter output, IReadOnlyList<ProvisioningCandidate> candidates, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(query);
        var shown = candidates.Where(c => c.Users.Count >= query.MinimumUsers).ToArray();
        var written = shown.Select(c => (Candidate: c, Conda: CondaNames.Of(c.Name))).Where(c => IsPackageName(c.Conda.Name)).ToArray();
        output.WriteLine(Comment($"polaris-collector report provisioning, {ReportTitles.Of("packages used from outside the base environment", query)}"));
        output.WriteLine(Comment("pinned to the version most of their users had; 'base has' is the version seen loaded from the base environment"));
        if (shown.Length < candidates.Count)
        {
            output.WriteLine(Comment(Invariant($"{candidates.Count - shown.Length} packages of fewer than {query.MinimumUsers} distinct users left out (a read token's floor, reportMinimumUsers)")));
        }
        if (written.Length < shown.Length)
        {
            output.WriteLine(Comment(Invariant($"{shown.Length - written.Length} packages skipped: their names are not package names (letters, digits, . _ -)")));
        }
        output.WriteLine("dependencies:");
        foreach (var (candidate, (conda, known)) in written)
        {
            var version = candidate.TopVersions(1, query.MinimumUsers).Select(v => v.Version).FirstOrDefault(v => v.Length > 0);
            var pin = version != null && IsVersion(version) ? $"{conda}={version}" : conda;
            output.WriteLine($"  - \"{pin}\"  " + Comment(Invariant($"{candidate.Users.Count} users, {candidate.Domains.Count} domains")
                + (candidate.BaseVersion != null ? $", base has {candidate.BaseVersion}" : ", not seen in the base")
                + (known ? "" : $", import name {candidate.Name}: check the package's name")));
        }
    }

    /// <summary>A conda or pip package's name: a letter or digit, then letters, digits, <c>. _ -</c>.</summary>
    public static bool IsPackageName(string name) => PackageName().IsMatch(name);

    /// <summary>A version as packages write them (1.26.4, 2.1.0+cu121, 1!2.0): a letter or digit, then letters,
    /// digits, <c>. + ! _ -</c>.</summary>
    public static bool IsVersion(string version) => Version().IsMatch(version);

    /// <summary>A YAML comment of <paramref name="text"/>: anything but printable ASCII becomes <c>?</c>, so that no
    /// line break (YAML 1.1 counts NEL, U+2028 and U+2029 as ones) or character a YAML reader refuses gets through.</summary>
    internal static string Comment(string text)
    {
        var comment = new StringBuilder("# ", text.Length + 2);
        foreach (char c in text)
        {
            comment.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return comment.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Version();
}
