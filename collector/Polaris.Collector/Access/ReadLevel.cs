namespace Polaris.Collector.Access;

/// <summary>What a read endpoint shows, and so which token it takes (endpoint metadata read by <see cref="ReadGuard"/>).</summary>
public enum ReadLevel
{
    /// <summary>Counts with no user or job in them (<c>/metrics</c>, <c>/v1/libraries</c>): a read or admin token.</summary>
    Aggregates,

    /// <summary>What names users and jobs (<c>/v1/summaries</c>, <c>/v1/rollups</c>): an admin token.</summary>
    UserData,

    /// <summary>What stores other tools' records (<c>POST /v1/imports</c>, <c>POST /v1/pbs</c>): an admin token, and
    /// refused when no admin token file is configured, loopback included. Any local process could otherwise write
    /// users and jobs into the store; importing into a store no collector holds needs no token (the file's owner).</summary>
    Imports,
}
