namespace Polaris.Collector.Access;

/// <summary>What a read endpoint shows, and so which token it takes (endpoint metadata read by <see cref="ReadGuard"/>).</summary>
public enum ReadLevel
{
    /// <summary>Counts with no user or job in them (<c>/metrics</c>, <c>/v1/libraries</c>): a read or admin token.</summary>
    Aggregates,

    /// <summary>What names users and jobs (<c>/v1/summaries</c>, <c>/v1/rollups</c>): an admin token.</summary>
    UserData,
}
