using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>A group's three columns of module names, files and versions, parsed once into the modules they name.</summary>
/// <remarks>
/// The ranks of a job, and every run of one program, send the same columns byte for byte: parsing them once per
/// node, not once per record, is what lets the daemon keep up with thousands of processes ending together. An
/// entry is null where the hook listed itself (<c>_polaris_hook</c>, not the program's import).
/// </remarks>
internal sealed class ModuleColumns
{
    /// <summary>Our own module when the hook is installed as a .pth file: not the program's import.</summary>
    private const string HookModule = "_polaris_hook";

    private ModuleColumns(ModuleImport?[] modules) => Modules = modules;

    /// <summary>The modules, in column order; times are not part of them.</summary>
    public ModuleImport?[] Modules { get; }

    /// <summary>Parses <paramref name="count"/> names, then as many files and versions, NUL-separated.</summary>
    /// <exception cref="FormatException">A field is missing or a module has no name.</exception>
    public static ModuleColumns Parse(ReadOnlySpan<byte> columns, int count, Utf8StringPool strings)
    {
        var fields = new string[3 * count];
        for (int i = 0; i < fields.Length; i++)
        {
            int end = columns.IndexOf((byte)0);
            if (end < 0 && i < fields.Length - 1)
            {
                throw new FormatException("a module group is cut short");
            }
            fields[i] = strings.Get(end < 0 ? columns : columns[..end]);
            columns = end < 0 ? default : columns[(end + 1)..];
        }
        var modules = new ModuleImport?[count];
        for (int i = 0; i < count; i++)
        {
            string name = fields[i], file = fields[count + i], version = fields[(2 * count) + i];
            if (name.Length == 0)
            {
                throw new FormatException("module without a name");
            }
            if (name == HookModule)
            {
                continue;
            }
            var kind = KindOf(file);
            modules[i] = new ModuleImport(name, kind is ModuleKind.Builtin or ModuleKind.Frozen or ModuleKind.Namespace ? "" : file)
            {
                Kind = kind,
                // __version__ of top-level packages only: a submodule's is its package's, or its own business.
                Version = name.Contains('.', StringComparison.Ordinal) ? "" : version,
            };
        }
        return new ModuleColumns(modules);
    }

    private static ModuleKind KindOf(string file) => file switch
    {
        "" => ModuleKind.Unknown,
        "built-in" => ModuleKind.Builtin,
        "frozen" => ModuleKind.Frozen,
        "namespace" => ModuleKind.Namespace,
        _ when file.EndsWith(".py", StringComparison.Ordinal) => ModuleKind.Source,
        _ when file.EndsWith(".pyc", StringComparison.Ordinal) => ModuleKind.Bytecode,
        _ when file.EndsWith(".so", StringComparison.Ordinal) || file.EndsWith(".pyd", StringComparison.Ordinal) => ModuleKind.Extension,
        _ => ModuleKind.Unknown,
    };
}
