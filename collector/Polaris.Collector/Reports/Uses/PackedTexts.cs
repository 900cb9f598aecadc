using System.Buffers;

namespace Polaris.Collector.Reports;

/// <summary>The texts a packed chunk repeats (domains, libraries, nodes), written once at its head and referred to
/// by number: a domain's name would otherwise be written for every entry of every module.</summary>
internal sealed class PackedTexts
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];

    /// <summary>About the bytes the table takes written (UTF-16 units, each at most 3 bytes, and lengths).</summary>
    public long Bytes { get; private set; }

    /// <summary>The number of <paramref name="text"/>, added when first asked for.</summary>
    public int Of(string text)
    {
        if (!_numbers.TryGetValue(text, out int number))
        {
            _numbers[text] = number = _texts.Count;
            _texts.Add(text);
            Bytes += 5 + (3L * text.Length);
        }
        return number;
    }

    /// <summary>Writes the table: its count, then each text.</summary>
    public void WriteTo(IBufferWriter<byte> into)
    {
        PackedRollups.Number(into, _texts.Count);
        foreach (var text in _texts)
        {
            PackedRollups.Text(into, text);
        }
    }

    /// <summary>Reads a table <see cref="WriteTo"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The chunk is damaged.</exception>
    public static string[] Read(ReadOnlySpan<byte> packed, ref int at)
    {
        long count = PackedRollups.ReadNumber(packed, ref at);
        if (count > packed.Length - at)
        {
            throw new InvalidDataException("packed uses list more texts than they hold");
        }
        var texts = new string[count];
        for (int i = 0; i < texts.Length; i++)
        {
            texts[i] = PackedRollups.ReadText(packed, ref at);
        }
        return texts;
    }

    /// <summary>The text of a number read from <paramref name="packed"/>.</summary>
    /// <exception cref="InvalidDataException">The number is past the table.</exception>
    public static string Pick(string[] texts, ReadOnlySpan<byte> packed, ref int at)
    {
        long number = PackedRollups.ReadNumber(packed, ref at);
        return number < texts.Length ? texts[number] : throw new InvalidDataException("packed uses refer to a text they do not hold");
    }
}
