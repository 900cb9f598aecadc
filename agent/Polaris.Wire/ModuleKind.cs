namespace Polaris.Wire;

/// <summary>What sort of module an entry of <c>sys.modules</c> is.</summary>
public enum ModuleKind
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>Python source (<c>.py</c>).</summary>
    Source,

    /// <summary>Bytecode without source (<c>.pyc</c>).</summary>
    Bytecode,

    /// <summary>A compiled extension module (<c>.so</c>).</summary>
    Extension,

    /// <summary>Built into the interpreter.</summary>
    Builtin,

    /// <summary>Frozen into the interpreter.</summary>
    Frozen,

    /// <summary>A namespace package: a folder without <c>__init__.py</c>.</summary>
    Namespace,
}
