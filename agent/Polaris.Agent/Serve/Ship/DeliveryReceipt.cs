using System.Text.Json;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Ship;

/// <summary>What the collector's 200 answer says about a delivered batch: how many of its summaries it refused one by
/// one (<c>{"refused": [{"index": i, "reason": "..."}]}</c>, see docs/wire-format.md) and why the first was.</summary>
/// <remarks>
/// The daemon keeps its summaries within <see cref="SummaryBounds"/>, so a refusal is a bug or a version mismatch an
/// admin must see. Only the first <see cref="MaxBytes"/> of an answer are read: past them, the refusals listed in
/// what was read are counted (a receipt's entries are small, so that is thousands). Anything that is not such a
/// receipt (an older collector's empty body, a proxy's page) counts as no refusal: the batch was acknowledged.
/// </remarks>
/// <param name="Refused">Summaries refused, as far as the receipt was read.</param>
/// <param name="FirstIndex">The index in the batch of the first refused summary; -1 when none or not given.</param>
/// <param name="FirstReason">Why the first was refused, cut to <see cref="SummaryBounds.MaxTextBytes"/> characters;
/// empty when none or not given.</param>
public readonly record struct DeliveryReceipt(int Refused, int FirstIndex, string FirstReason)
{
    /// <summary>The most of an answer read.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>No refusal.</summary>
    public static DeliveryReceipt None => new(0, -1, "");

    /// <summary>Reads a receipt from <paramref name="json"/>, the whole answer when <paramref name="complete"/>, else
    /// its first bytes; never throws.</summary>
    public static DeliveryReceipt Read(ReadOnlySpan<byte> json, bool complete)
    {
        int refused = 0;
        int firstIndex = -1;
        string firstReason = "";
        var reader = new Utf8JsonReader(json, isFinalBlock: complete, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return None;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isRefused = reader.ValueTextEquals("refused"u8);
                if (!reader.Read())
                {
                    break;
                }
                if (!isRefused || reader.TokenType != JsonTokenType.StartArray)
                {
                    if (!reader.TrySkip())
                    {
                        break;
                    }
                    continue;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        if (!reader.TrySkip())
                        {
                            break;
                        }
                        continue;
                    }
                    refused++;
                    if (refused == 1)
                    {
                        (firstIndex, firstReason) = ReadEntry(ref reader);
                    }
                    else if (!reader.TrySkip())
                    {
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON past some point: what was read so far stands.
        }
        return new DeliveryReceipt(refused, firstIndex, firstReason);
    }

    /// <summary>Reads one entry, the reader on its StartObject, and leaves it on its EndObject.</summary>
    private static (int Index, string Reason) ReadEntry(ref Utf8JsonReader reader)
    {
        int index = -1;
        string reason = "";
        int depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }
            bool isIndex = reader.ValueTextEquals("index"u8);
            bool isReason = reader.ValueTextEquals("reason"u8);
            if (!reader.Read())
            {
                break;
            }
            if (isIndex && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int i))
            {
                index = i;
            }
            else if (isReason && reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString() ?? "";
                reason = text.Length > SummaryBounds.MaxTextBytes ? text[..SummaryBounds.MaxTextBytes] : text;
            }
        }
        return (index, reason);
    }
}
