namespace Polaris.Wire;

/// <summary>One module (a name loaded from one file) across the processes of a summary.</summary>
/// <param name="Name">Fully qualified module name.</param>
/// <param name="File">Its <c>__file__</c>; the same name from another file is another entry.</param>
public sealed record ModuleUse(string Name, string File)
{
    /// <summary>Source, bytecode, extension, built-in, frozen or namespace.</summary>
    public ModuleKind Kind { get; init; }

    /// <summary><c>__version__</c> of a top-level package, empty otherwise.</summary>
    public string Version { get; init; } = "";

    /// <summary>Where <see cref="File"/> lies.</summary>
    public Origin Origin { get; init; }

    /// <summary>Processes of the summary that imported it.</summary>
    public int Processes { get; init; }

    /// <summary>Processes of the summary that loaded it at start-up (before the hook, or while <c>site</c> was still
    /// initialising: a <c>.pth</c> file's import), 0 to <see cref="Processes"/>: for them it is no import of the
    /// program.</summary>
    public int StartupProcesses { get; init; }

    /// <summary>Which members imported it (indices into <see cref="ProcessSummary.Members"/>), given only when not all
    /// did: the rank that imported what the others did not stays visible.</summary>
    public IReadOnlyList<int> Members { get; init; } = [];

    // Made on first use when not given (once, whichever thread reads first): an initialiser ran before the reader's
    // own values replaced it, and made two distributions for nothing for every module a collector decodes. The reader
    // and SummaryBuilder always give both, so equality (which compares the distributions by reference, as before)
    // never sees one made late.
    private TimeDistribution? _self;
    private TimeDistribution? _cumulative;

    /// <summary>Import time excluding the imports it caused, over the processes that timed it.</summary>
    public TimeDistribution SelfNs
    {
        get => _self ?? Made(ref _self);
        init => _self = value;
    }

    /// <summary>Import time including the imports it caused, over the processes that timed it.</summary>
    public TimeDistribution CumulativeNs
    {
        get => _cumulative ?? Made(ref _cumulative);
        init => _cumulative = value;
    }

    private static TimeDistribution Made(ref TimeDistribution? field) =>
        Interlocked.CompareExchange(ref field, new TimeDistribution(), null) ?? field!;

    /// <summary>The top-level package: the first component of <see cref="Name"/>.</summary>
    public string TopLevel => Name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? Name[..dot] : Name;
}
