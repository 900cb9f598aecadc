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

    private ModuleColumns(ModuleImport?[] modules, int listed, int clipped, int blanked)
    {
        Modules = modules;
        Listed = listed;
        Clipped = clipped;
        Blanked = blanked;
    }

    /// <summary>The modules kept, in column order; times are not part of them.</summary>
    public ModuleImport?[] Modules { get; }

    /// <summary>How many modules the group listed: more than <see cref="Modules"/> holds when it was past its bound.</summary>
    public int Listed { get; }

    /// <summary>Modules left out: past the kept ones, or with a name or file past its bound (no real module has one).</summary>
    public int Clipped { get; }

    /// <summary>Versions blanked: past their bound.</summary>
    public int Blanked { get; }

    /// <summary>Parses <paramref name="count"/> names, then as many files and versions, NUL-separated, keeping the
    /// first <paramref name="keep"/> modules.</summary>
    /// <remarks>The modules past <paramref name="keep"/> are only walked over: nothing is decoded or allocated for
    /// them, so a forged count costs the reading of its bytes and no more.</remarks>
    /// <exception cref="FormatException">A field is missing or a module has no name.</exception>
    public static ModuleColumns Parse(ReadOnlySpan<byte> columns, int count, int keep, Utf8StringPool strings)
    {
        if (count < 0 || keep < 0 || keep > count || (3L * count) - 1 > columns.Length)
        {
            throw new FormatException("a module group is cut short");
        }
        var modules = new ModuleImport?[keep];
        // Scratch from the shared pool: at the bound they are 128 KB each, which the runtime puts on the large object
        // heap, collected only with the oldest generation.
        var names = System.Buffers.ArrayPool<string?>.Shared.Rent(keep);
        var files = System.Buffers.ArrayPool<string?>.Shared.Rent(keep);
        try
        {
            return Parse(columns, count, keep, strings, modules, names, files);
        }
        finally
        {
            System.Buffers.ArrayPool<string?>.Shared.Return(names, clearArray: true);
            System.Buffers.ArrayPool<string?>.Shared.Return(files, clearArray: true);
        }
    }

    private static ModuleColumns Parse(ReadOnlySpan<byte> columns, int count, int keep, Utf8StringPool strings, ModuleImport?[] modules, string?[] names, string?[] files)
    {
        int clipped = count - keep;
        int blanked = 0;
        int field = 0;
        for (int column = 0; column < 3; column++)
        {
            int limit = column switch { 0 => SummaryBounds.MaxNameBytes, 1 => SummaryBounds.MaxPathBytes, _ => SummaryBounds.MaxVersionBytes };
            for (int i = 0; i < count; i++, field++)
            {
                int end = columns.IndexOf((byte)0);
                if (end < 0 && field < (3 * count) - 1)
                {
                    throw new FormatException("a module group is cut short");
                }
                var bytes = end < 0 ? columns : columns[..end];
                columns = end < 0 ? default : columns[(end + 1)..];
                if (column == 0 && bytes.IsEmpty)
                {
                    throw new FormatException("module without a name");
                }
                if (i >= keep || (column > 0 && names[i] is null))
                {
                    continue; // past the kept modules, or left out already
                }
                bool tooLong = !Utf8StringPool.FitsIn(bytes, limit);
                switch (column)
                {
                    // A name or file that no real module has: the module is left out.
                    case 0 when tooLong: names[i] = null; clipped++; break; // set: a pooled array may hold anything
                    case 0: names[i] = strings.Get(bytes); break;
                    case 1 when tooLong: names[i] = null; clipped++; break;
                    case 1: files[i] = strings.Get(bytes); break;
                    default:
                        // A version past its bound is blanked; the module stays.
                        blanked += tooLong ? 1 : 0;
                        modules[i] = Module(names[i]!, files[i]!, tooLong ? "" : strings.Get(bytes));
                        break;
                }
            }
        }
        return new ModuleColumns(modules, count, clipped, blanked);
    }

    /// <summary>Parses a group of <paramref name="count"/> modules, keeping all it may (<see cref="SummaryBounds.MaxModulesPerRecord"/>).</summary>
    public static ModuleColumns Parse(ReadOnlySpan<byte> columns, int count, Utf8StringPool strings) =>
        Parse(columns, count, Math.Min(count, SummaryBounds.MaxModulesPerRecord), strings);

    private static ModuleImport? Module(string name, string file, string version)
    {
        if (name == HookModule)
        {
            return null;
        }
        var kind = KindOf(file);
        return new ModuleImport(name, kind is ModuleKind.Builtin or ModuleKind.Frozen or ModuleKind.Namespace ? "" : file)
        {
            Kind = kind,
            // __version__ of top-level packages only: a submodule's is its package's, or its own business.
            Version = name.Contains('.', StringComparison.Ordinal) ? "" : version,
        };
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
