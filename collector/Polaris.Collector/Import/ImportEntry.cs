using System.Globalization;
using System.Text;
using ZstdSharp;

namespace Polaris.Collector.Import;

/// <summary>One record-bearing file of an import (a file, or an entry of an archive), its content decompressed and
/// bounded.</summary>
/// <remarks>An entry is valid until the walk moves on: an archive is read entry by entry, and the next entry's
/// header lies past this one's bytes.</remarks>
public sealed class ImportEntry
{
    // A name is printed in the tally; one from an archive is anything its maker wrote.
    private const int MaxNameChars = 1024;

    internal ImportEntry(string name, Stream content, long? length, bool decompressed = false, EntryOwner? owner = null)
    {
        Owner = owner ?? EntryOwner.Root;
        Name = Printable(name);
        int slash = name.LastIndexOf('/');
        FileName = slash < 0 ? name : name[(slash + 1)..];
        if (decompressed)
        {
            // The record's own name: `run.x.json` of `run.x.json.gz`.
            FileName = FileName[..FileName.LastIndexOf('.')];
        }
        Content = content;
        Length = length;
    }

    /// <summary>Where the entry is, for a person: the file's path, or the archive's path, <c>:</c> and the entry's
    /// name; control characters shown as <c>?</c>, and cut at 1,024 characters.</summary>
    public string Name { get; }

    /// <summary>The last component of the file's or entry's name, as written, without the <c>.gz</c> or <c>.zst</c>
    /// it was decompressed from.</summary>
    public string FileName { get; }

    /// <summary>The content, decompressed; reading past the walk's bound throws
    /// <see cref="ImportEntryTooLargeException"/>.</summary>
    public Stream Content { get; }

    /// <summary>Who wrote the entry: the file's owner, or the owner an archive's header gives; root for an entry that
    /// has none. A reader counts a record under its owner when the owner is a user (<see cref="EntryOwner.IsUser"/>).</summary>
    public EntryOwner Owner { get; }

    /// <summary>The bytes of <see cref="Content"/> when known before reading (a plain file, a plain archive entry).</summary>
    public long? Length { get; }

    /// <summary>Reads the whole content when it holds at most <paramref name="maxBytes"/>.</summary>
    /// <param name="maxBytes">The most the caller takes; a longer entry is not read past it.</param>
    /// <param name="bytes">The content; empty on failure.</param>
    /// <param name="fault">Why it was not read, in fixed words; null on success.</param>
    public bool TryReadAll(int maxBytes, out ReadOnlyMemory<byte> bytes, out string? fault)
    {
        bytes = ReadOnlyMemory<byte>.Empty;
        if (Length > maxBytes)
        {
            fault = TooLarge(maxBytes);
            return false;
        }
        var buffer = new byte[(int)Math.Min(Length ?? 4096, maxBytes) + 1];
        int used = 0;
        try
        {
            while (true)
            {
                if (used == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        fault = TooLarge(maxBytes);
                        return false;
                    }
                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                }
                int read = Content.Read(buffer, used, buffer.Length - used);
                if (read == 0)
                {
                    break;
                }
                used += read;
            }
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            fault = Describe(e);
            return false;
        }
        fault = null;
        bytes = buffer.AsMemory(0, used);
        return true;
    }

    /// <summary>True for what reading a damaged, hostile or vanished entry throws: a reader counts it against the
    /// entry and goes on; anything else is a bug and is let through.</summary>
    public static bool IsReadFailure(Exception exception) =>
        exception is IOException or InvalidDataException or ZstdException or UnauthorizedAccessException;

    /// <summary>A read failure in fixed words (an exception's message may quote a path or bytes).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ImportEntryTooLargeException large => string.Create(CultureInfo.InvariantCulture,
                $"entry larger than {large.MaxBytes} bytes once decompressed"),
            ZstdException or InvalidDataException => "entry unreadable: damaged compressed data",
            UnauthorizedAccessException => "entry unreadable: permission denied",
            _ => "entry unreadable: " + exception.GetType().Name,
        };
    }

    private static string TooLarge(int maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"record file larger than {maxBytes} bytes");

    internal static string Printable(string name)
    {
        var text = new StringBuilder(Math.Min(name.Length, MaxNameChars));
        foreach (char ch in name.Length > MaxNameChars ? name[..MaxNameChars] : name)
        {
            text.Append(char.IsControl(ch) || char.IsSurrogate(ch) ? '?' : ch);
        }
        return text.ToString();
    }
}
