using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A prefix of one's own for a real interpreter: its binary copied into <c>PREFIX/bin</c>, its standard library
/// linked entry by entry into <c>PREFIX/lib/pythonX.Y</c>, and empty site folders laid out as the original's (Debian's
/// <c>lib/python3/dist-packages</c> for Debian's, <c>lib/pythonX.Y/site-packages</c> otherwise).</summary>
/// <remarks>
/// CPython finds its prefix from where its binary is (the standard library beside it), so the copy runs as a system
/// Python installed at PREFIX: a test can install the hook into it, and give it a <c>sitecustomize</c> of its own,
/// without writing into the real <c>/usr</c> or pyenv's folders, which other tests and engineers use. The original's
/// <c>sitecustomize.py</c> (Debian's apport hook) is left out so that the test's takes its place; bytecode caches are
/// the original's, read only (run it with <c>PYTHONDONTWRITEBYTECODE</c>).
/// </remarks>
internal sealed class InterpreterCopy
{
    private InterpreterCopy(string prefix, string majorMinor, string sitePackages)
    {
        Prefix = prefix;
        MajorMinor = majorMinor;
        SitePackages = sitePackages;
    }

    public string Prefix { get; }

    /// <summary><c>X.Y</c>.</summary>
    public string MajorMinor { get; }

    /// <summary>The folder whose .pth files the copy runs (Debian's dist-packages or site-packages).</summary>
    public string SitePackages { get; }

    /// <summary>The copy's standard library folder, on <c>sys.path</c> in every environment made from it.</summary>
    public string StandardLibrary => Path.Combine(Prefix, "lib", "python" + MajorMinor);

    public string Python => Path.Combine(Prefix, "bin", "python3");

    public static InterpreterCopy Create(string interpreter, string prefix)
    {
        var facts = CommandResult.Run(interpreter, ["-c",
            "import os, site, sys, sysconfig; print(os.path.realpath(sys.executable)); print('%d.%d' % sys.version_info[:2]); print(sysconfig.get_path('stdlib'));"
            + " print(any(p.endswith('/python3/dist-packages') for p in site.getsitepackages()))"]);
        if (facts.ExitCode != 0)
        {
            throw new InvalidOperationException($"{interpreter} does not run:\n{facts.StderrText}");
        }
        var lines = facts.StdoutText.Split('\n');
        var (binary, majorMinor, stdlib, debian) = (lines[0], lines[1], lines[2], lines[3] == "True");
        Directory.CreateDirectory(Path.Combine(prefix, "bin"));
        var python = Path.Combine(prefix, "bin", "python3");
        File.Copy(binary, python);
        File.CreateSymbolicLink(Path.Combine(prefix, "bin", "python"), "python3");
        var lib = Path.Combine(prefix, "lib", "python" + majorMinor);
        Directory.CreateDirectory(lib);
        foreach (var entry in Directory.EnumerateFileSystemEntries(stdlib))
        {
            var name = Path.GetFileName(entry);
            if (name is not ("site-packages" or "dist-packages" or "sitecustomize.py"))
            {
                File.CreateSymbolicLink(Path.Combine(lib, name), entry);
            }
        }
        // Debian's interpreter reads lib/python3/dist-packages of its prefix; the others lib/pythonX.Y/site-packages.
        var sitePackages = debian ? Path.Combine(prefix, "lib", "python3", "dist-packages") : Path.Combine(lib, "site-packages");
        Directory.CreateDirectory(sitePackages);
        return new InterpreterCopy(prefix, majorMinor, sitePackages);
    }
}
