using Tokenwise.ServiceDefaults.Validation;
using System.Text.Json;

namespace Tokenwise.Ingestion.Validation;

/// <summary>Reads one item of a JSON shape, recording field errors under <paramref name="path"/>.</summary>
internal delegate T? ItemReader<out T>(JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now);

/// <summary>A body that is one object or an array of up to 5,000; errors in an array name the item's index.</summary>
internal static class JsonBatch
{
    public const int MaxItems = 5000;

    public static List<T> Read<T>(JsonElement root, ItemReader<T> reader, ValidationErrors errors, string source, DateTimeOffset now)
    {
        var items = new List<T>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            if (reader(root, "", errors, source, now) is { } single) items.Add(single);
            return items;
        }
        var count = root.GetArrayLength();
        if (count == 0) errors.Add("$", "the batch is empty");
        if (count > MaxItems) errors.Add("$", $"a batch holds at most {MaxItems} items; this one has {count}");
        if (errors.Any) return items;
        var index = 0;
        foreach (var element in root.EnumerateArray())
            if (reader(element, $"[{index++}].", errors, source, now) is { } item) items.Add(item);
        return items;
    }
}
