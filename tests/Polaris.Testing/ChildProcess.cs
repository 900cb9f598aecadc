using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Polaris.Testing;

/// <summary>A long-running process a test started (a daemon or the collector), stopped by its PID.</summary>
public sealed partial class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far, stdout and stderr interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start " + fileName));
    }

    /// <summary>Waits until <paramref name="ready"/> holds, failing with the process's output if it exits or the wait runs out.</summary>
    public void WaitUntil(Func<bool> ready, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!ready())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process {Pid} exited ({_process.ExitCode}) before {what}:\n{Output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"process {Pid}: no {what} in time:\n{Output}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public int Terminate(TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, 15);
            if (!_process.WaitForExit(grace ?? TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> and returns at once, so that many processes can be signalled together;
    /// <see cref="WaitForExit"/> gives how they ended.</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, signal);
        }
    }

    /// <summary>Waits (up to a minute) for the process to end on its own; returns its exit code (128 + N after signal N).</summary>
    public int WaitForExit()
    {
        WaitUntil(() => _process.HasExited, "exit");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the crash a daemon must survive.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        _process.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line != null)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }
        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
