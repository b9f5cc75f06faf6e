using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Validation;

/// <summary>What every ingested item starts with: it is an object, has an id (≤ 200 bytes) and an occurredAt in the window.</summary>
internal sealed record EventHeader(JsonFields Fields, string Id, DateTimeOffset OccurredAt)
{
    /// <summary>Null only when the item is not an object; missing or bad fields are recorded and read as "" / default.</summary>
    public static EventHeader? Read(JsonElement item, string path, ValidationErrors errors, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "$" : path.TrimEnd('.'), "must be a JSON object");
            return null;
        }
        var f = new JsonFields(item, path, errors);
        var id = f.Text("id", required: true);
        var occurredAt = f.Timestamp("occurredAt", required: true);
        OccurrenceWindow.Check(f, "occurredAt", occurredAt, now);
        return new EventHeader(f, id ?? "", occurredAt ?? default);
    }
}
