using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Polaris.Collector.Bench.Xalt;

/// <summary>Writes a planned run's files as XALT 3.2.4 does (the shape of the real records in ../shared/fixtures):
/// compact JSON, run records named <c>run.HOST.DATE_FFFF.USER.(aaa|zzz).UUID.json</c> with the leading zero of the
/// time's fraction kept, pkg records named <c>pkg.HOST.DATE_F.USER.UUID.HASH.json</c> with it dropped, each pkg record
/// carrying the interpreter's version as <c>package_version</c>.</summary>
internal sealed class XaltRecordWriter(XaltSite site)
{
    private static readonly string[] SystemLibraries =
    [
        "/usr/lib64/libc.so.6", "/usr/lib64/libm.so.6", "/lib64/ld-linux-x86-64.so.2", "/usr/lib64/libpthread.so.0",
        "/usr/lib64/libdl.so.2", "/usr/lib64/libutil.so.1", "/usr/lib64/libz.so.1.2.13", "/usr/lib64/libgcc_s.so.1",
        "/usr/lib64/libstdc++.so.6", "/usr/lib64/librt.so.1",
    ];

    private static readonly string[] EnvironmentLibraries =
    [
        "lib/libpython3.11.so.1.0", "lib/libffi.so.8", "lib/libssl.so.3", "lib/libcrypto.so.3", "lib/libexpat.so.1",
        "lib/liblzma.so.5", "lib/libbz2.so.1.0", "lib/python3.11/lib-dynload/_ctypes.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_json.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_hashlib.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_contextvars.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_struct.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/math.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_datetime.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_bisect.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_random.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_sha512.cpython-311-x86_64-linux-gnu.so",
        "lib/python3.11/lib-dynload/_pickle.cpython-311-x86_64-linux-gnu.so",
    ];

    private static readonly string[] CudaLibraries =
        ["libcudart.so.12", "libcudnn.so.9", "libnccl.so.2", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11"];

    // XALT writes paths as they are ('+' and all): the JSON escapes only what JSON must.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    /// <summary>A run record: the start record of an MPI run when <paramref name="startRecord"/>, else its end.</summary>
    public (string Name, byte[] Json) Run(PlannedRun run, bool startRecord)
    {
        var user = site.Users[run.User];
        var random = new Random(run.Seed);
        string executable = run.Python ? $"{user.Prefix}/bin/python3.11" : $"/lus/eagle/projects/{user.Project}/{user.Name}/bin/solver";
        string cwd = $"/lus/eagle/projects/{user.Project}/{user.Name}/run{run.Seed % 40:D2}";
        double end = startRecord ? 0 : Math.Round(run.Start + run.Seconds, 4);
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteString("crc", $"0x{random.Next(0x10000):X4}");
            json.WriteStartArray("cmdlineA");
            json.WriteStringValue(run.Python ? "python3" : "solver");
            json.WriteStringValue(run.Python ? $"{cwd}/train.py" : "input.nml");
            json.WriteStringValue("--steps");
            json.WriteStringValue((100 * (1 + random.Next(50))).ToString(CultureInfo.InvariantCulture));
            json.WriteEndArray();
            json.WriteString("hash_id", Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + "0123abcd");
            json.WriteStartArray("libA");
            foreach (var library in SharedObjects(run, user, random))
            {
                json.WriteStartArray();
                json.WriteStringValue(library);
                json.WriteStringValue("0");
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("ptA");
            json.WriteStartObject();
            json.WriteString("cmd_name", run.Mpi ? "mpiexec" : "bash");
            json.WriteString("cmd_path", run.Mpi ? "/opt/cray/pals/1.4/bin/mpiexec" : "/usr/bin/bash");
            json.WriteNumber("pid", 10_000 + random.Next(90_000));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("envT");
            json.WriteString("PATH", $"{user.Prefix}/bin:/opt/cray/pe/bin:/usr/local/bin:/usr/bin:/bin");
            json.WriteString("LD_LIBRARY_PATH", "/opt/cray/pe/lib64:/soft/compilers/cudatoolkit/cuda-12.4.1/lib64");
            json.WriteString("OMP_NUM_THREADS", run.Mpi ? "8" : "32");
            if (user.HomeLibrary >= 0)
            {
                json.WriteString("PYTHONPATH", $"/soft/xalt/3.2.4/site_packages:/home/{user.Name}/.local/lib/python3.11/site-packages");
            }
            if (run.Mpi)
            {
                json.WriteString("PMI_RANK", "0");
                json.WriteString("PALS_RANKID", "0");
            }
            json.WriteEndObject();
            json.WriteStartObject("userT");
            json.WriteString("syshost", run.Host);
            json.WriteString("run_uuid", run.Uuid);
            json.WriteString("exec_path", executable);
            json.WriteString("exec_type", "binary");
            json.WriteString("cwd", cwd);
            json.WriteString("currentEpoch", (startRecord ? run.Start : run.Start + run.Seconds).ToString("F6", CultureInfo.InvariantCulture));
            json.WriteString("start_date", DateTimeOffset.FromUnixTimeMilliseconds((long)(run.Start * 1000)).ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture));
            json.WriteString("user", user.Name);
            json.WriteString("execModify", "Mon Apr 28 14:11:48 2025");
            json.WriteString("scheduler", "PBS");
            json.WriteString("account", user.Project);
            json.WriteString("job_id", run.JobId);
            json.WriteString("queue", run.Queue);
            json.WriteString("submit_host", $"polaris-login-0{1 + (run.Seed % 4)}");
            json.WriteEndObject();
            json.WriteStartObject("userDT");
            json.WriteNumber("start_time", Math.Round(run.Start, 4));
            json.WriteNumber("end_time", end);
            json.WriteNumber("run_time", startRecord ? 0 : Math.Round(run.Seconds, 4));
            json.WriteNumber("probability", 1.0);
            json.WriteNumber("num_tasks", run.Mpi ? run.Nodes * 4.0 : 1.0);
            json.WriteNumber("num_gpus", run.Mpi ? run.Nodes * 4.0 : 0.0);
            json.WriteNumber("exec_epoch", 1745849508.0);
            json.WriteNumber("num_threads", run.Mpi ? 8.0 : 32.0);
            json.WriteNumber("num_cores", run.Mpi ? run.Nodes * 32.0 : 1.0);
            json.WriteNumber("num_nodes", (double)run.Nodes);
            json.WriteEndObject();
            json.WriteStartObject("xaltLinkT");
            json.WriteEndObject();
            json.WriteStartObject("XALT_measureT");
            json.WriteNumber("02_Sha1_exec_____", Math.Round(random.NextDouble() * 0.06, 4));
            json.WriteNumber("08____total______", Math.Round(0.05 + (random.NextDouble() * 0.02), 4));
            json.WriteEndObject();
            json.WriteStartObject("XALT_qaT");
            json.WriteString("XALT_GIT_VERSION", "@git@");
            json.WriteString("XALT_FILE_PREFIX", "/lus/eagle/logs/xalt");
            json.WriteString("XALT_RESULT_FILE", RunName(run, startRecord));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return (RunName(run, startRecord), _buffer.WrittenSpan.ToArray());
    }

    /// <summary>A Python run's pkg records: standard modules, most used first, and the user's libraries.</summary>
    public IEnumerable<(string Name, byte[] Json)> Packages(PlannedRun run)
    {
        var user = site.Users[run.User];
        var random = new Random(run.Seed ^ 0x5a5a5a);
        var names = new List<(string Name, string Path)>();
        int libraries = Math.Min(user.Libraries.Length, 1 + random.Next(Math.Max(1, run.Packages / 3)));
        foreach (int library in user.Libraries.Take(libraries))
        {
            names.Add((site.Libraries[library], $"{site.LibraryFolder(user, library)}/__init__.py"));
        }
        var standard = new HashSet<int>();
        while (names.Count + standard.Count < run.Packages && standard.Count < XaltSite.StandardModules.Length)
        {
            standard.Add(site.StandardPick.Next(random));
        }
        names.AddRange(standard.Select(m => (XaltSite.StandardModules[m], XaltSite.StandardPath(user.Prefix, XaltSite.StandardModules[m]))));
        // Past the standard library's names (a run of more packages than it has): more of the user's libraries.
        for (int i = libraries; names.Count < run.Packages; i++)
        {
            names.Add(($"{site.Libraries[i % site.Libraries.Length]}{i / site.Libraries.Length}", $"{user.Prefix}/lib/python3.11/site-packages/extra{i}/__init__.py"));
        }
        foreach (var (name, path) in names.Take(run.Packages))
        {
            _buffer.Clear();
            using (var json = new Utf8JsonWriter(_buffer, Compact))
            {
                json.WriteStartObject();
                json.WriteString("crc", $"0x{random.Next(0x10000):X4}");
                json.WriteString("program", "python");
                json.WriteString("xalt_run_uuid", run.Uuid);
                json.WriteString("package_version", "3.11.9");
                json.WriteString("package_name", name);
                json.WriteString("package_path", path);
                json.WriteEndObject();
            }
            string hash = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()))[..12];
            yield return ($"pkg.{run.Host}.{Date(run.Start)}_{Fraction(run.Start)}.{user.Name}.{run.Uuid}.{hash}.json", _buffer.WrittenSpan.ToArray());
        }
    }

    private IEnumerable<string> SharedObjects(PlannedRun run, XaltSiteUser user, Random random)
    {
        if (!run.Python)
        {
            return SystemLibraries.Concat(["/opt/cray/pe/lib64/libmpi_gnu_123.so.12", "/opt/cray/pe/lib64/libfabric.so.1"]);
        }
        var objects = new List<string>(SystemLibraries);
        objects.AddRange(EnvironmentLibraries.Take(8 + random.Next(EnvironmentLibraries.Length - 7)).Select(l => $"{user.Prefix}/{l}"));
        int libraries = 1 + random.Next(user.Libraries.Length);
        foreach (int library in user.Libraries.Take(libraries))
        {
            string folder = site.LibraryFolder(user, library);
            for (int k = 0; k < XaltSite.ExtensionsOf(library); k++)
            {
                objects.Add($"{folder}/_ext{k:D2}.cpython-311-x86_64-linux-gnu.so");
            }
            if (site.Libraries[library] is "torch" or "tensorflow" or "jax" or "cupy")
            {
                objects.AddRange(CudaLibraries.Select(so => $"{user.Prefix}/lib/python3.11/site-packages/nvidia/lib/{so}"));
            }
        }
        if (run.Mpi)
        {
            objects.Add("/opt/cray/pe/lib64/libmpi_gnu_123.so.12");
        }
        return objects;
    }

    private string RunName(PlannedRun run, bool startRecord) =>
        $"run.{run.Host}.{Date(run.Start)}_{Fraction(run.Start):D4}.{site.Users[run.User].Name}.{(startRecord ? "aaa" : "zzz")}.{run.Uuid}.json";

    private static string Date(double start) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(start * 1000)).ToString("yyyy_MM_dd_HH_mm_ss", CultureInfo.InvariantCulture);

    // The time's fraction in ten-thousandths: run names print it as %04d, pkg names as %d (the leading zero dropped).
    private static int Fraction(double start) => (int)((start - Math.Floor(start)) * 10_000);
}
