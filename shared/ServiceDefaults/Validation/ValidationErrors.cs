using Microsoft.AspNetCore.Http;

namespace Tokenwise.ServiceDefaults.Validation;

/// <summary>
/// Field errors keyed the way the sender wrote them: "occurredAt", or "[3].occurredAt" inside a batch. At most
/// <see cref="MaxListed"/> messages are listed: a batch of 5,000 bad items must not make an answer of megabytes.
/// </summary>
public sealed class ValidationErrors
{
    public const int MaxListed = 200;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => Count > 0;

    /// <summary>How many messages have been recorded, so a reader can tell whether an item added any.</summary>
    public int Count { get; private set; }

    public void Add(string field, string message)
    {
        Count++;
        if (Count > MaxListed)
            return;
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public IResult ToProblem(string title = "The request has invalid fields") =>
        Results.ValidationProblem(
            ToDictionary(),
            title: title,
            detail: "Nothing was stored. Fix the listed fields and send the request again."
                + (Count > MaxListed ? $" The first {MaxListed} of {Count} errors are listed." : "")
        );
}
