using System.Text;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Brings the values of one imported process within <see cref="SummaryBounds"/> as it is built, counting what
/// it leaves out or blanks, as the agent's daemon does with a record (<see cref="Clips"/>).</summary>
internal sealed class ProcessClipper
{
    private readonly List<ModuleImport> _modules = [];
    private readonly HashSet<(string, string)> _moduleKeys = [];
    private readonly List<SharedObject> _sharedObjects = [];
    private readonly HashSet<string> _sharedObjectPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private long _modulesLeftOut;
    private long _sharedObjectsLeftOut;
    private long _texts;

    public IReadOnlyList<ModuleImport> Modules => _modules;

    public IReadOnlyList<SharedObject> SharedObjects => _sharedObjects;

    public IReadOnlyDictionary<string, string> Variables => _variables;

    public Clips Clips => new(_modulesLeftOut, _sharedObjectsLeftOut, _texts, 0);

    /// <summary>The value, or empty when it is missing or past <paramref name="maxBytes"/> (counted).</summary>
    public string Text(string? value, int maxBytes = SummaryBounds.MaxTextBytes)
    {
        if (value == null)
        {
            return "";
        }
        if (Fits(value, maxBytes))
        {
            return value;
        }
        _texts++;
        return "";
    }

    /// <summary>Adds a module unless its name is empty or past its bound, its file or version past theirs (the
    /// version is blanked), the same name and file came already, or the record holds its most modules.</summary>
    public void Module(string? name, string? file, string? version = null)
    {
        if (string.IsNullOrEmpty(name) || !Fits(name, SummaryBounds.MaxNameBytes) || !Fits(file ?? "", SummaryBounds.MaxPathBytes)
            || _modules.Count >= SummaryBounds.MaxModulesPerRecord)
        {
            _modulesLeftOut++;
            return;
        }
        if (!_moduleKeys.Add((name, file ?? "")))
        {
            // The same module twice: a tool's duplicate, not a clip worth a person's attention, but counted as the
            // daemon counts a name a record listed again.
            _modulesLeftOut++;
            return;
        }
        _modules.Add(new ModuleImport(name, file ?? "") { Version = Text(version, SummaryBounds.MaxVersionBytes) });
    }

    /// <summary>Notes a module entry the record held but that could not be read (a wrong type).</summary>
    public void ModuleLeftOut() => _modulesLeftOut++;

    /// <summary>Adds a shared object unless its path is empty or past its bound, came already, or the record holds
    /// its most.</summary>
    public void SharedObject(string? path)
    {
        if (string.IsNullOrEmpty(path) || !Fits(path, SummaryBounds.MaxPathBytes) || _sharedObjects.Count >= SummaryBounds.MaxSharedObjectsPerRecord)
        {
            _sharedObjectsLeftOut++;
            return;
        }
        if (_sharedObjectPaths.Add(path))
        {
            _sharedObjects.Add(new SharedObject(path));
        }
    }

    /// <summary>Keeps an environment variable when the hook's allowlist names it: its value blanked (and counted)
    /// past its bound; any other name is dropped uncounted, as the hook never lets it out.</summary>
    public void Variable(string name, string? value)
    {
        if (!AllowedVariables.Contains(name) || value == null)
        {
            return;
        }
        if (!_variables.ContainsKey(name) && _variables.Count >= SummaryBounds.MaxVariables)
        {
            _texts++;
            return;
        }
        _variables[name] = Text(value, SummaryBounds.MaxVariableBytes);
    }

    // UTF-8 takes at most three bytes a UTF-16 unit: most values are judged by their length alone.
    private static bool Fits(string value, int maxBytes) =>
        (long)value.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(value) <= maxBytes;
}
