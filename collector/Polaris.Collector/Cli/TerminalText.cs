using System.Text;

namespace Polaris.Collector.Cli;

/// <summary>Text from records (a library, a domain, a file name, a collector's answer) made safe to print on a
/// terminal: a name must not be able to send escape sequences, move the cursor, or reorder what follows it.</summary>
public static class TerminalText
{
    /// <summary>What replaces a character a terminal would act on rather than show.</summary>
    public const char Replacement = '?';

    /// <summary><paramref name="text"/> with every C0 control (tab and line breaks included: a cell is one line), DEL,
    /// C1 control, bidirectional override or isolate (U+202A to U+202E, U+2066 to U+2069) and lone surrogate replaced
    /// by <see cref="Replacement"/>.</summary>
    public static string Safe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !IsUnsafe(text, first))
        {
            first++;
        }
        if (first == text.Length)
        {
            return text;
        }
        var safe = new StringBuilder(text.Length).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            safe.Append(IsUnsafe(text, i) ? Replacement : text[i]);
        }
        return safe.ToString();
    }

    private static bool IsUnsafe(string text, int i)
    {
        char c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }
        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }
        return c is < ' ' or (>= '\u007F' and <= '\u009F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
    }
}
