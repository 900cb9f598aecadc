using System.Text.Json;
using LiteDB;

namespace Polaris.Collector.Storage;

/// <summary>Writes stored values as plain JSON: dates as ISO 8601 UTC text, numbers as numbers, binary as base64;
/// not LiteDB's extended JSON (<c>{"$date": ...}</c>), which no client should have to know.</summary>
internal static class BsonJson
{
    public static void Write(Utf8JsonWriter writer, BsonValue value)
    {
        switch (value.Type)
        {
            case BsonType.Document:
                writer.WriteStartObject();
                foreach (var (key, item) in value.AsDocument)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            case BsonType.Array:
                writer.WriteStartArray();
                foreach (var item in value.AsArray)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case BsonType.Int32:
                writer.WriteNumberValue(value.AsInt32);
                break;
            case BsonType.Int64:
                writer.WriteNumberValue(value.AsInt64);
                break;
            case BsonType.Double:
                writer.WriteNumberValue(value.AsDouble);
                break;
            case BsonType.Decimal:
                writer.WriteNumberValue(value.AsDecimal);
                break;
            case BsonType.Boolean:
                writer.WriteBooleanValue(value.AsBoolean);
                break;
            case BsonType.DateTime:
                writer.WriteStringValue(value.AsDateTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case BsonType.Binary:
                writer.WriteBase64StringValue(value.AsBinary);
                break;
            case BsonType.String:
                writer.WriteStringValue(value.AsString);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
