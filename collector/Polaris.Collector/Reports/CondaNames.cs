namespace Polaris.Collector.Reports;

/// <summary>The conda package that provides a top-level import name, where the two differ (<c>yaml</c> comes from
/// <c>pyyaml</c>): what an <c>environment.yml</c> fragment must name.</summary>
internal static class CondaNames
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["PIL"] = "pillow",
        ["yaml"] = "pyyaml",
        ["sklearn"] = "scikit-learn",
        ["skimage"] = "scikit-image",
        ["cv2"] = "opencv",
        ["bs4"] = "beautifulsoup4",
        ["dateutil"] = "python-dateutil",
        ["torch"] = "pytorch",
        ["mpi4py"] = "mpi4py",
        ["zmq"] = "pyzmq",
        ["Crypto"] = "pycryptodome",
        ["OpenSSL"] = "pyopenssl",
        ["jwt"] = "pyjwt",
        ["git"] = "gitpython",
        ["google"] = "protobuf",
        ["attr"] = "attrs",
        ["lz4"] = "lz4",
        ["zstandard"] = "zstandard",
        ["netCDF4"] = "netcdf4",
        ["Bio"] = "biopython",
        ["tables"] = "pytables",
        ["magic"] = "python-magic",
        ["serial"] = "pyserial",
        ["usb"] = "pyusb",
        ["win32api"] = "pywin32",
    };

    /// <summary>The package's name and whether it is known (else the import name, to be checked).</summary>
    public static (string Name, bool Known) Of(string importName) =>
        Known.TryGetValue(importName, out var name) ? (name, true) : (importName.ToLowerInvariant().Replace('_', '-'), false);
}
