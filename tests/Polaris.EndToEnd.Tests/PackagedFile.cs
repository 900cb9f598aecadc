namespace Polaris.EndToEnd.Tests;

/// <summary>One file of an RPM as <c>rpm -qp</c> lists it: <c>ls -l</c> permissions, owner, group, rpm's file flags
/// (<c>c</c> config, <c>n</c> noreplace, <c>d</c> doc), path, and a symlink's target.</summary>
public sealed record PackagedFile(string Permissions, string User, string Group, string Flags, string Path, string LinkTarget)
{
    /// <summary>Permissions, owner, group and path, as <c>rpm -qlp -v</c> shows them and the layout states them.</summary>
    public string Line => $"{Permissions} {User}:{Group} {Path}";
}
