using Polaris.Wire;

namespace Polaris.Collector.Bench.Year;

/// <summary>A user's environment as the agent reports it: the environment, the modules every process of it imports (one
/// shared array, as the daemon shares module objects), a few variants of their import times and the shared objects.</summary>
internal sealed class UserEnvironment
{
    private const int TimeVariants = 8;

    private UserEnvironment(PythonEnvironment environment, ModuleImport[] modules, ImportTime[][] times, SharedObject[] sharedObjects)
    {
        Environment = environment;
        Modules = modules;
        Times = times;
        SharedObjects = sharedObjects;
    }

    public PythonEnvironment Environment { get; }

    public ModuleImport[] Modules { get; }

    public ImportTime[][] Times { get; }

    public SharedObject[] SharedObjects { get; }

    public static UserEnvironment Build(FacilityUser user, EnvironmentKind kind, IEnumerable<int> libraries, int home, int userSite,
        FacilityPopulation facility, Random random)
    {
        string prefix = kind switch
        {
            EnvironmentKind.BaseEnv => FacilityPopulation.BasePrefix,
            EnvironmentKind.CondaEnv => $"/lus/eagle/projects/{user.Project}/envs/{user.Name}-env",
            _ => $"/lus/eagle/projects/{user.Project}/{user.Name}/venv",
        };
        var modules = new List<ModuleImport>();
        var cost = new List<double>();
        foreach (int library in libraries)
        {
            string name = facility.Libraries[library];
            var (folder, origin) = library == home ? ($"/home/{user.Name}/lib/{name}", Origin.Home)
                : library == userSite ? ($"/home/{user.Name}/.local/lib/python3.11/site-packages/{name}", Origin.UserSite)
                : ($"{prefix}/lib/python3.11/site-packages/{name}", FacilityPopulation.OriginOf(kind));
            // A custom environment pins its own versions; the base has the facility's.
            string version = kind == EnvironmentKind.BaseEnv || origin != FacilityPopulation.OriginOf(kind)
                ? facility.Versions[library]
                : $"{facility.Versions[library]}.post{random.Next(3)}";
            int count = FacilityPopulation.ModulesOf(library);
            // Big packages are slow to import (a second for PyTorch), the tail fast.
            double seconds = library < 40 ? 0.05 + (random.NextDouble() * (library % 9 == 8 ? 2.0 : 0.3)) : 0.002 + (random.NextDouble() * 0.02);
            for (int k = 0; k < count; k++)
            {
                bool extension = k == count - 1 && count > 1;
                string module = k == 0 ? name : extension ? $"{name}._core" : $"{name}.sub{k:D2}";
                string file = k == 0 ? $"{folder}/__init__.py" : extension ? $"{folder}/_core.cpython-311-x86_64-linux-gnu.so" : $"{folder}/sub{k:D2}.py";
                modules.Add(new ModuleImport(module, file)
                {
                    Kind = extension ? ModuleKind.Extension : ModuleKind.Source,
                    Origin = origin,
                    Version = k == 0 ? version : "",
                });
                cost.Add(k == 0 ? seconds : seconds / count);
            }
        }
        var times = new ImportTime[TimeVariants][];
        for (int v = 0; v < TimeVariants; v++)
        {
            times[v] = cost.Select(c =>
            {
                long ns = (long)(c * 1e9 * (0.7 + (random.NextDouble() * 0.6)));
                return new ImportTime(ns, ns / 3);
            }).ToArray();
        }
        var sharedObjects = new List<SharedObject> { new($"{prefix}/lib/libpython3.11.so.1.0") { Origin = FacilityPopulation.OriginOf(kind) } };
        if (libraries.Contains(8))
        {
            sharedObjects.AddRange(new[] { "libcudart.so.12", "libcudnn.so.9", "libnccl.so.2", "libcublas.so.12" }.Select(so =>
                new SharedObject($"{prefix}/lib/python3.11/site-packages/nvidia/lib/{so}") { Origin = FacilityPopulation.OriginOf(kind) }));
        }
        if (libraries.Contains(0))
        {
            sharedObjects.Add(new SharedObject($"{prefix}/lib/libopenblasp-r0.3.28.so") { Origin = FacilityPopulation.OriginOf(kind) });
        }
        var environment = new PythonEnvironment
        {
            Implementation = "cpython", Prefix = prefix, BasePrefix = kind == EnvironmentKind.Venv ? FacilityPopulation.BasePrefix : prefix, Kind = kind,
            Name = kind == EnvironmentKind.CondaEnv ? $"{user.Name}-env" : kind == EnvironmentKind.BaseEnv ? "base" : "",
        };
        return new UserEnvironment(environment, [.. modules], times, [.. sharedObjects]);
    }
}
