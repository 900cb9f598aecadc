using System.Globalization;

namespace Polaris.Testing;

/// <summary>Reads samples from the Prometheus text exposition format.</summary>
public static class MetricsText
{
    /// <summary>The sum of the samples of the metric <paramref name="series"/> names whose labels include the ones it
    /// gives: <c>x_total{a="b"}</c> adds every <c>x_total</c> sample with <c>a="b"</c>, whatever its other labels;
    /// null when no sample matches.</summary>
    public static double? Value(string text, string series)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (name, wanted) = Parse(series);
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal)
                || (line.Length > name.Length && line[name.Length] is not (' ' or '{')))
            {
                continue;
            }
            int end = line.LastIndexOf(' ');
            var (_, labels) = Parse(line[..end]);
            if (wanted.All(w => labels.TryGetValue(w.Key, out var v) && v == w.Value))
            {
                sum = (sum ?? 0) + double.Parse(line[(end + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }

    /// <summary>The label sets of the samples of metric <paramref name="name"/>, with their values.</summary>
    public static IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            {
                int end = line.LastIndexOf(' ');
                samples.Add((Parse(line[..end]).Labels, double.Parse(line[(end + 1)..].Trim(), CultureInfo.InvariantCulture)));
            }
        }
        return samples;
    }

    private static (string Name, Dictionary<string, string> Labels) Parse(string series)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int brace = series.IndexOf('{', StringComparison.Ordinal);
        if (brace < 0)
        {
            return (series.Trim(), labels);
        }
        int i = brace + 1;
        while (i < series.Length && series[i] != '}')
        {
            int eq = series.IndexOf('=', i);
            var key = series[i..eq].Trim(' ', ',');
            int start = eq + 2;
            var value = new System.Text.StringBuilder();
            int j = start;
            for (; j < series.Length && series[j] != '"'; j++)
            {
                if (series[j] == '\\' && j + 1 < series.Length)
                {
                    j++;
                    value.Append(series[j] == 'n' ? '\n' : series[j]);
                    continue;
                }
                value.Append(series[j]);
            }
            labels[key] = value.ToString();
            i = j + 1;
            while (i < series.Length && series[i] == ',')
            {
                i++;
            }
        }
        return (series[..brace], labels);
    }
}
