using Marten;

namespace Tokenwise.Alerting.Rules;

/// <summary>The rules as tuned, projected from the "rules" stream (<see cref="RuleTuned"/>).</summary>
public sealed record RuleBookDocument
{
    public const string StreamId = "rules";
    public string Id { get; init; } = StreamId;
    public RuleSettings Settings { get; init; } = new();
    public long Version { get; init; }
}

/// <summary>A rule's settings were changed; carries every rule's settings after the change.</summary>
public sealed record RuleTuned(string Kind, RuleSettings Settings, string By, DateTimeOffset At);

/// <summary>The current rules, read at most every few seconds (a PUT takes effect within that on every instance).</summary>
public sealed class RuleBook(IDocumentStore store, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private (RuleBookDocument Book, DateTimeOffset ReadAt)? _cached;

    public async Task<RuleSettings> CurrentAsync(CancellationToken ct) => (await DocumentAsync(ct)).Settings;

    public async Task<RuleBookDocument> DocumentAsync(CancellationToken ct, bool fresh = false)
    {
        if (!fresh && _cached is { } cached && clock.GetUtcNow() - cached.ReadAt < CacheFor) return cached.Book;
        await using var session = store.QuerySession();
        var book = await session.LoadAsync<RuleBookDocument>(RuleBookDocument.StreamId, ct) ?? new RuleBookDocument();
        _cached = (book, clock.GetUtcNow());
        return book;
    }
}
