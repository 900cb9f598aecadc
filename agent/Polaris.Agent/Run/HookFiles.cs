using Polaris.Agent.Native;

namespace Polaris.Agent.Run;

/// <summary>Finds the folder holding the hook's <c>sitecustomize.py</c> for <c>PYTHONPATH</c>.</summary>
/// <remarks>
/// Installed agents ship the hook beside the binary (<c>hook/</c>); a lone copied binary writes the
/// embedded copy once into a private per-user folder named after its content hash.
/// </remarks>
public static class HookFiles
{
    private const string FileName = "sitecustomize.py";
    private const string ResourceName = "Polaris.Agent.Hook.sitecustomize.py";

    /// <summary>The hook's source as embedded in this binary.</summary>
    public static byte[] Embedded()
    {
        using var stream = typeof(HookFiles).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the hook is missing from this build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The folder to put on <c>PYTHONPATH</c>: the installed one, else a private copy made now.</summary>
    public static string Directory() => Installed() ?? Materialize(Embedded());

    /// <summary>The hook's folder beside the binary (<c>hook/</c>, as the package installs it), or null when this
    /// binary was copied without it.</summary>
    public static string? Installed()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "hook");
        return File.Exists(Path.Combine(beside, FileName)) ? beside : null;
    }

    /// <summary>FNV-1a, 64 bits: the folder's name only tells hook versions apart (the folder is the user's own, so
    /// nobody else can plant a file under a name). A cryptographic hash would make every start load OpenSSL: a few
    /// milliseconds for each Python launch and 3 MB of the daemon's resident memory.</summary>
    private static ulong ContentHash(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211;
        }
        return hash;
    }

    private static string Materialize(byte[] source)
    {
        var hash = ContentHash(source).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var root = !string.IsNullOrEmpty(runtime) && System.IO.Directory.Exists(runtime)
            ? Path.Combine(runtime, "polaris-agent")
            : Path.Combine(Path.GetTempPath(), $"polaris-agent-{Libc.getuid()}");
        var dir = Path.Combine(root, "hook-" + hash);
        var file = Path.Combine(dir, FileName);
        if (File.Exists(file))
        {
            return dir;
        }
        var info = System.IO.Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Another user could have made the shared-/tmp folder first and planted their own hook in it.
        var status = FileStatus.Of(root);
        if (status is not { IsDirectory: true } || status.Value.Uid != Libc.getuid() || (info.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new IOException($"{root} is not a private folder of this user");
        }
        System.IO.Directory.CreateDirectory(dir);
        AtomicFile.Write(file, source);
        return dir;
    }
}
