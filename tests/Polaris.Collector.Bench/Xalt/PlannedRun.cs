namespace Polaris.Collector.Bench.Xalt;

/// <summary>One program run of the generated corpus as planned: what its records are made from when its folder is
/// written (the rest of its content is drawn from <paramref name="Seed"/> then, so the plan stays small).</summary>
/// <param name="User">The user, an index into <see cref="XaltSite.Users"/>.</param>
/// <param name="JobId">XALT's job id: the leading digits of PBS's.</param>
/// <param name="Queue">The PBS queue.</param>
/// <param name="Nodes">The job's node count.</param>
/// <param name="Host">The syshost of the node rank 0 ran on.</param>
/// <param name="Start">The run's start, Unix seconds.</param>
/// <param name="Seconds">The run's length.</param>
/// <param name="Uuid">XALT's run uuid.</param>
/// <param name="Python">The executable is the user's interpreter; otherwise a compiled program with no pkg records.</param>
/// <param name="Mpi">An MPI run: a start record (<c>aaa</c>, <c>end_time</c> 0) and an end record (<c>zzz</c>).</param>
/// <param name="Packages">Its pkg records.</param>
/// <param name="Seed">What its packages, shared objects and command line are drawn from.</param>
internal sealed record PlannedRun(int User, string JobId, string Queue, int Nodes, string Host, double Start, double Seconds,
    string Uuid, bool Python, bool Mpi, int Packages, int Seed)
{
    /// <summary>Its files: run records and pkg records.</summary>
    public int Records => (Mpi ? 2 : 1) + Packages;
}
