namespace Polaris.Collector.Tests.Import;

/// <summary>XALT run and pkg records made in a test, shaped as XALT 3 writes them.</summary>
internal static class XaltRecords
{
    public const string Uuid = "01a21322-32de-77a2-a45a-e9a15a4c0923";

    public static string Run(string uuid = Uuid, string exec = "/usr/bin/python3.11", double end = 1795617338.5482,
        string envT = """{"PMI_RANK": "0", "PATH": "/usr/bin", "HOME": "/home/asmith"}""", string user = "asmith", string job = "1234501") =>
        $$"""{"crc": "0xDEAD", "userT": {"syshost": "debvm", "run_uuid": "{{uuid}}", "exec_path": "{{exec}}", "cwd": "/home/asmith/jobs", "user": "{{user}}", "account": "MatSciProj", "job_id": "{{job}}", "queue": "prod"}, "userDT": {"start_time": 1795617338.0783, "end_time": {{end}}, "num_nodes": 2.0}, "libA": [["/usr/lib/libz.so.1", "0"], ["/usr/lib/libz.so.1", "0"], 7, []], "envT": {{envT}}}""";

    public static string Pkg(string name, string uuid = Uuid, string program = "python") =>
        $$"""{"crc": "0x0000", "program": "{{program}}", "xalt_run_uuid": "{{uuid}}", "package_version": "3.11.2", "package_name": "{{name}}", "package_path": "/usr/lib/python3/dist-packages/{{name}}/__init__.py"}""";
}
