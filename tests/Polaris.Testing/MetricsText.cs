using System.Globalization;

namespace Polaris.Testing;

/// <summary>Reads samples from the Prometheus text exposition format.</summary>
public static class MetricsText
{
    /// <summary>The value of the sample whose name and labels are exactly <paramref name="series"/>, e.g. <c>x_total{a="b"}</c>.</summary>
    public static double? Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
