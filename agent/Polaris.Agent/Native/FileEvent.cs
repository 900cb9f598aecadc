namespace Polaris.Agent.Native;

/// <summary>What <see cref="Inotify"/> saw happen to a file of its folder.</summary>
internal enum FileEvent
{
    /// <summary>Created in the folder.</summary>
    Created,

    /// <summary>Closed after writing, or moved in: its content is as its writer left it.</summary>
    Closed,

    /// <summary>Written to, once after <see cref="Inotify.WatchWrite"/> was asked for it.</summary>
    Written,
}
