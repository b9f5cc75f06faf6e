using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Validation;

/// <summary>Reads one item of a JSON shape, recording field errors under <paramref name="path"/>.</summary>
internal delegate T? ItemReader<out T>(JsonElement item, string path, ValidationErrors errors, IntakeContext intake);

/// <summary>
/// A body that is one object or an array of up to 5,000; errors in an array name the item's index. Each item the
/// reader accepted is then held to the intake rules (<see cref="IntakeRules"/>), so no shape can store what another
/// would refuse.
/// </summary>
internal static class JsonBatch
{
    public const int MaxItems = 5000;

    public static List<T> Read<T>(
        JsonElement root,
        ItemReader<T> reader,
        Func<T, IntakeContext, IReadOnlyList<FieldProblem>> rules,
        ValidationErrors errors,
        IntakeContext intake
    )
    {
        var items = new List<T>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            ReadItem(root, "", reader, rules, errors, intake, items);
            return items;
        }
        var count = root.GetArrayLength();
        if (count == 0)
            errors.Add("$", "the batch is empty");
        if (count > MaxItems)
            errors.Add("$", $"a batch holds at most {MaxItems} items; this one has {count}");
        if (errors.Any)
            return items;
        var index = 0;
        foreach (var element in root.EnumerateArray())
            ReadItem(element, $"[{index++}].", reader, rules, errors, intake, items);
        return items;
    }

    private static void ReadItem<T>(
        JsonElement element,
        string path,
        ItemReader<T> reader,
        Func<T, IntakeContext, IReadOnlyList<FieldProblem>> rules,
        ValidationErrors errors,
        IntakeContext intake,
        List<T> items
    )
    {
        var before = errors.Count;
        if (reader(element, path, errors, intake) is not { } item)
            return;
        // The reader named its own fields; the rules only speak when it found nothing wrong.
        if (errors.Count == before)
            foreach (var problem in rules(item, intake))
                errors.Add(path + problem.Field, problem.Message);
        items.Add(item);
    }
}
