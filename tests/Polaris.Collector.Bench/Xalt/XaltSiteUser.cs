namespace Polaris.Collector.Bench.Xalt;

/// <summary>A user of the generated XALT site: a uid and name (the tar's owner of the user's records), a project, the
/// interpreter's prefix (the base environment, a conda environment or a venv on the project's file system) and the
/// third-party libraries the user's scripts import.</summary>
/// <param name="Uid">The uid the user's records are owned by.</param>
/// <param name="Name">The login name (the tar header's <c>uname</c> and the record's <c>user</c>).</param>
/// <param name="Project">The PBS account.</param>
/// <param name="Prefix">The environment's prefix: <c>Prefix/bin/python3.11</c> runs.</param>
/// <param name="Libraries">Indices into <see cref="XaltSite.Libraries"/>, most used first.</param>
/// <param name="HomeLibrary">A library kept under the home directory (-1: none), which the study looks for.</param>
internal sealed record XaltSiteUser(uint Uid, string Name, string Project, string Prefix, int[] Libraries, int HomeLibrary);
