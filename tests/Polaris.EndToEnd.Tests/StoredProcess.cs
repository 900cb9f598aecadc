using System.Text.Json;

namespace Polaris.EndToEnd.Tests;

/// <summary>Reads the fields the tests check from a stored summary (<c>GET /v1/summaries</c>) and its members.</summary>
internal static class StoredProcess
{
    public static string[] Libraries(this JsonElement process) =>
        process.GetProperty("libraries").EnumerateArray().Where(l => l.GetProperty("processes").GetInt32() > 0).Select(l => l.GetProperty("name").GetString()!).ToArray();

    public static string[] ModuleNames(this JsonElement process) =>
        process.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToArray();

    public static JsonElement Module(this JsonElement process, string name) =>
        process.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

    /// <summary>The longest of a module's times (<c>self</c> or <c>cum</c>): for a summary of one process, its time.</summary>
    public static long Nanoseconds(this JsonElement module, string field) => module.GetProperty(field).Long("max");

    /// <summary>The members (processes) of a summary.</summary>
    public static JsonElement[] Members(this JsonElement summary) => summary.GetProperty("members").EnumerateArray().ToArray();

    /// <summary>The member that is process <paramref name="pid"/>.</summary>
    public static JsonElement Member(this JsonElement summary, int pid) => summary.Members().Single(m => m.Number("pid") == pid);

    /// <summary>Which members imported a module: all when the summary lists none.</summary>
    public static int[] ImportedBy(this JsonElement summary, string module) =>
        summary.Module(module).TryGetProperty("members", out var members)
            ? members.EnumerateArray().Select(m => m.GetInt32()).ToArray()
            : Enumerable.Range(0, summary.Members().Length).ToArray();

    /// <summary>The modules member <paramref name="member"/> of a summary imported.</summary>
    public static string[] ModulesOf(this JsonElement summary, int member) =>
        summary.ModuleNames().Where(n => summary.ImportedBy(n).Contains(member)).ToArray();

    /// <summary>The one member of a summary of one process.</summary>
    public static JsonElement OnlyMember(this JsonElement summary) => Assert.Single(summary.Members());

    public static string Text(this JsonElement process, string field) => process.GetProperty(field).GetString()!;

    public static int Number(this JsonElement process, string field) => process.GetProperty(field).GetInt32();

    /// <summary>A 64-bit field.</summary>
    public static long Long(this JsonElement process, string field) => process.GetProperty(field).GetInt64();

    /// <summary>The origin the daemon gave the module <paramref name="name"/> (<c>home</c>, <c>venv</c>, ...).</summary>
    public static string Origin(this JsonElement process, string name) => process.Module(name).GetProperty("origin").GetString()!;

    /// <summary>The analysed environment (<c>env</c>): prefix, kind, name and changes.</summary>
    public static JsonElement Environment(this JsonElement process) => process.GetProperty("env");

    /// <summary>The job context (<c>job</c>): id, account, queue, nodes, rank, size, script and variables.</summary>
    public static JsonElement Job(this JsonElement process) => process.GetProperty("job");

    /// <summary>A list field of a stored object, such as <c>env.added</c> or <c>env.pypath</c>.</summary>
    public static string[] Texts(this JsonElement element, string field) =>
        element.GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string Variable(this JsonElement process, string name) =>
        process.GetProperty("job").GetProperty("vars").TryGetProperty(name, out var value) ? value.GetString()! : "";

    /// <summary>The value a member of a summary had of an allowlisted variable: its own when it differed from the
    /// summary's job (null: it had not set it), else the job's (null when the job has none either).</summary>
    public static string? VariableOf(this JsonElement summary, JsonElement member, string name)
    {
        if (member.TryGetProperty("vars", out var own) && own.TryGetProperty(name, out var value))
        {
            return value.GetString();
        }
        return summary.Job().GetProperty("vars").TryGetProperty(name, out var shared) ? shared.GetString() : null;
    }
}
