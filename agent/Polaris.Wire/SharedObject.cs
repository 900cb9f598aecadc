namespace Polaris.Wire;

/// <summary>A shared library mapped into the process at exit (CUDA, cuDNN, NCCL, MKL, an extension's dependencies).</summary>
/// <param name="Path">Its path, as <c>/proc/self/maps</c> names it.</param>
public sealed record SharedObject(string Path)
{
    /// <summary>Where <see cref="Path"/> lies; set by the daemon.</summary>
    public Origin Origin { get; init; }
}
