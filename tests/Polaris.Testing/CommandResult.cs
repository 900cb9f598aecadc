using System.Diagnostics;

namespace Polaris.Testing;

/// <summary>How a command that ran to its end ended: its exit status, the exact bytes it wrote, and the pid it ran as.</summary>
public sealed record CommandResult(int ExitCode, byte[] Stdout, byte[] Stderr, int Pid)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);

    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);

    /// <summary>Runs a command to its end with the given environment (added to this process's), capturing raw bytes.</summary>
    public static CommandResult Run(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value == null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + fileName);
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var copyErr = process.StandardError.BaseStream.CopyToAsync(stderr);
        process.WaitForExit();
        Task.WaitAll(copyOut, copyErr);
        return new CommandResult(process.ExitCode, stdout.ToArray(), stderr.ToArray(), process.Id);
    }
}
