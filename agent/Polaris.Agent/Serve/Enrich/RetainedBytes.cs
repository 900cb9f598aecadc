using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What the environment caches' values keep in memory, estimated from above: an object's header and fields,
/// and two bytes for each character of its strings (<see cref="UserShareCache{TValue}"/> bounds each user's share by it).</summary>
public static class RetainedBytes
{
    // A small object with a few references, plus its place in a list or dictionary.
    private const long Entry = 96;

    // A string's header and length.
    private const long Text = 24;

    public static long Of(EnvironmentChanges changes) => EnvironmentClip.Measure(changes, Entry, Of);

    public static long Of(CondaEnvironment? environment)
    {
        if (environment == null)
        {
            return Entry;
        }
        long bytes = Entry + Of(environment.Prefix);
        foreach (var (name, p) in environment.Packages)
        {
            bytes += Entry + Of(name) + Of(p.Name) + Of(p.Version) + Of(p.Build) + Of(p.Channel);
        }
        foreach (var distInfo in environment.OwnedDistInfos)
        {
            bytes += Entry + Of(distInfo);
        }
        foreach (var revision in environment.History.Revisions)
        {
            bytes += Entry + Of(revision.Timestamp);
            foreach (var command in revision.Commands)
            {
                bytes += Entry + Of(command);
            }
            foreach (var dist in revision.Added.Concat(revision.Removed))
            {
                bytes += Entry + Of(dist.Channel) + Of(dist.Name) + Of(dist.Version) + Of(dist.Build);
            }
        }
        return bytes;
    }

    private static long Of(string text) => Text + (2L * text.Length);
}
