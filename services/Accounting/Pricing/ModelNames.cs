using System.Text.RegularExpressions;

namespace Tokenwise.Accounting.Pricing;

/// <summary>
/// Model names as senders report them, matched to price-book names: case folded, provider prefixes dropped
/// ("anthropic/", "openai/", "vertex_ai/" …), dated snapshots dropped ("-20250929", "-2024-08-06", "@20250514").
/// </summary>
public static partial class ModelNames
{
    private static readonly Dictionary<string, string> ProviderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gemini"] = "google",
        ["vertex_ai"] = "google",
        ["google_ai"] = "google",
        ["azure"] = "openai",
        ["azure_openai"] = "openai",
    };

    public static string Normalize(string model)
    {
        var name = model.Trim().ToLowerInvariant();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
            name = name[(slash + 1)..];
        name = DatedSnapshot().Replace(name, "");
        return name.EndsWith("-latest", StringComparison.Ordinal) ? name[..^"-latest".Length] : name;
    }

    /// <summary>The provider: as sent, else from the model's prefix, else inferred from well-known model families.</summary>
    public static string Provider(string? provider, string model)
    {
        var name = model.Trim().ToLowerInvariant();
        var fromPrefix = name.Contains('/') ? name[..name.IndexOf('/')] : null;
        var chosen = provider ?? fromPrefix;
        if (chosen is not null)
            return ProviderAliases.GetValueOrDefault(chosen, chosen.ToLowerInvariant());
        var normalized = Normalize(model);
        if (normalized.StartsWith("claude"))
            return "anthropic";
        if (normalized.StartsWith("gemini"))
            return "google";
        if (normalized.StartsWith("gpt") || OpenAiReasoning().IsMatch(normalized))
            return "openai";
        return "unknown";
    }

    public static string Key(string? provider, string model) => $"{Provider(provider, model)}/{Normalize(model)}";

    [GeneratedRegex(@"(-\d{8}|-\d{4}-\d{2}-\d{2}|@\d{8})$")]
    private static partial Regex DatedSnapshot();

    [GeneratedRegex(@"^o\d")]
    private static partial Regex OpenAiReasoning();
}
