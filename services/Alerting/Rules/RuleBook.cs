using System.Security.Claims;
using Marten;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;

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
public sealed class RuleBook(IDocumentStore store, TokenwiseSettings settings, AdminActions audit, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private (RuleBookDocument Book, DateTimeOffset ReadAt)? _cached;

    public async Task<RuleSettings> CurrentAsync(CancellationToken ct) => (await DocumentAsync(ct)).Settings;

    public async Task<RuleBookDocument> DocumentAsync(CancellationToken ct, bool fresh = false)
    {
        if (!fresh && _cached is { } cached && clock.GetUtcNow() - cached.ReadAt < CacheFor)
            return cached.Book;
        await using var session = store.QuerySession();
        var book = await session.LoadAsync<RuleBookDocument>(RuleBookDocument.StreamId, ct) ?? new RuleBookDocument();
        _cached = (book, clock.GetUtcNow());
        return book;
    }

    /// <summary>
    /// Replaces one rule's settings with what <paramref name="tune"/> makes of them, recorded as <see cref="RuleTuned"/>
    /// and audited as <paramref name="actor"/>'s; null (nothing recorded) when <paramref name="tune"/> refuses. Tunings
    /// are applied one at a time across instances (a transaction-scoped advisory lock), each to the book as the one
    /// before left it, so two at once both hold.
    /// </summary>
    public async Task<RuleBookDocument?> TuneAsync(
        string kind,
        Func<object, object?> tune,
        ClaimsPrincipal actor,
        CancellationToken ct
    )
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (
            var lockRules = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@key))", connection, transaction)
        )
        {
            lockRules.Parameters.AddWithValue("key", $"{settings.Schema}.{RuleBookDocument.StreamId}");
            await lockRules.ExecuteNonQueryAsync(ct);
        }
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        var book = await session.LoadAsync<RuleBookDocument>(RuleBookDocument.StreamId, ct) ?? new RuleBookDocument();
        if (tune(book.Settings.Of(kind)) is not { } tuned)
            return null;
        var tunedBook = book with { Settings = book.Settings.With(kind, tuned), Version = book.Version + 1 };
        session.Events.Append(
            RuleBookDocument.StreamId,
            tunedBook.Version,
            new RuleTuned(kind, tunedBook.Settings, actor.Source(), clock.GetUtcNow())
        );
        session.Store(tunedBook);
        audit.Record(session, actor, AdminActionKinds.RuleTuned, kind, tuned);
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        _cached = (tunedBook, clock.GetUtcNow());
        return tunedBook;
    }
}
