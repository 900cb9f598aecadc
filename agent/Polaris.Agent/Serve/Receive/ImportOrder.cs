using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>The import order of the last record read on a thread, with the module list in that order, tried first for
/// the next record.</summary>
/// <remarks>
/// The order fits a record whose groups are the same parsed columns (the column cache hands out one instance per
/// distinct columns) and whose start times it keeps in order: then the record shares the module list already built,
/// which is never changed once handed out. Any other record is sorted, and its order is remembered instead.
/// </remarks>
internal sealed class ImportOrder
{
    private readonly List<ModuleColumns> _columns = [];
    private int[] _order = [];
    private int _listed = -1;
    private int[] _kept = [];
    private ModuleImport[] _modules = [];

    /// <summary>True when the remembered order is of these groups and sorts <paramref name="keys"/> (start times, by
    /// listed index).</summary>
    public bool Fits(List<ModuleGroup> groups, long[] keys, int count)
    {
        if (_listed != count || _columns.Count != groups.Count)
        {
            return false;
        }
        for (int g = 0; g < groups.Count; g++)
        {
            if (!ReferenceEquals(_columns[g], groups[g].Columns))
            {
                return false;
            }
        }
        for (int k = 1; k < count; k++)
        {
            if (keys[_order[k - 1]] > keys[_order[k]])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Copies the remembered order into <paramref name="order"/>, that of the imports kept into
    /// <paramref name="kept"/>, and returns the kept imports' module list.</summary>
    public ModuleImport[] Apply(int[] order, int[] kept)
    {
        Array.Copy(_order, order, _listed);
        Array.Copy(_kept, kept, _modules.Length);
        return _modules;
    }

    /// <summary>Remembers the sorted order of all <paramref name="count"/> imports of <paramref name="groups"/>.</summary>
    public void RememberOrder(List<ModuleGroup> groups, int[] order, int count)
    {
        _columns.Clear();
        foreach (var group in groups)
        {
            _columns.Add(group.Columns);
        }
        if (_order.Length < count)
        {
            _order = new int[count];
        }
        Array.Copy(order, _order, count);
        _listed = count;
        _modules = [];
    }

    /// <summary>Names listed again from another file, left out of the remembered modules.</summary>
    public int Clipped { get; private set; }

    /// <summary>Remembers the order of the imports kept (a name listed again is not), their modules, and how many
    /// names listed again from another file were left out.</summary>
    public void RememberKept(int[] order, ModuleImport[] modules, int clipped)
    {
        Clipped = clipped;
        if (_kept.Length < modules.Length)
        {
            _kept = new int[modules.Length];
        }
        Array.Copy(order, _kept, modules.Length);
        _modules = modules;
    }
}
