using System.Text.Json.Nodes;

namespace Polaris.EndToEnd.Tests;

/// <summary>A node whose daemon knows a facility's home and project file systems, laid out in its folder, with a
/// user's packages in them: in the home, in a project, in the user site and in venvs of both.</summary>
public sealed class FacilityFileSystems : IDisposable
{
    public FacilityFileSystems()
    {
        Node = new NodeUnderTest(folder => new JsonObject
        {
            ["homeRoots"] = new JsonArray(Path.Combine(folder, "home")),
            ["projectRoots"] = new JsonArray(Path.Combine(folder, "lus", "eagle", "projects")),
        });
        Home = Path.Combine(Node.Folder, "home", "asmith");
        Project = Path.Combine(Node.Folder, "lus", "eagle", "projects", "climate");
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(Node.Folder, "work")).FullName;
    }

    public NodeUnderTest Node { get; }

    /// <summary>The user's home, under the configured home root.</summary>
    public string Home { get; }

    /// <summary>A project's folder, under the configured project root.</summary>
    public string Project { get; }

    /// <summary>A folder no root covers, where the user's processes run.</summary>
    public string WorkingDirectory { get; }

    public void Dispose() => Node.Dispose();
}
