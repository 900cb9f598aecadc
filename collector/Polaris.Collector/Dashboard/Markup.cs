using System.Globalization;
using System.Text;

namespace Polaris.Collector.Dashboard;

/// <summary>Text written into the dashboard's HTML and SVG: every string from the data (library names are any module
/// name a node sent, domains and the query's own values what a request carried) goes through <see cref="Escape"/>.</summary>
internal static class Markup
{
    /// <summary>Text safe as HTML content and as a quoted attribute value, and as XML alike (a fragment is SVG in an
    /// HTML page): <c>&amp; &lt; &gt; " '</c> escaped, and what no XML text may hold (control characters, a lone
    /// surrogate) and bidirectional overrides and isolates replaced by U+FFFD rather than dropped, so that a reader sees
    /// something was there.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                case < ' ' and not ('\t' or '\n'):
                case >= '\u007F' and <= '\u009F':
                case '\uFFFE' or '\uFFFF':
                case >= '\u202A' and <= '\u202E': // bidirectional overrides: a name could reverse the text after it
                case >= '\u2066' and <= '\u2069':
                    escaped.Append('\uFFFD');
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        escaped.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>A label cut to <paramref name="max"/> characters with an ellipsis, for the visible text of a chart; the
    /// whole name stays in its <c>data-label</c> and <c>title</c>.</summary>
    public static string Short(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }
        int cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--; // never half a character
        }
        return text[..cut] + "\u2026";
    }

    /// <summary>A coordinate: invariant, at most two decimals.</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A count as the report gave it.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
