using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Audit;

/// <summary>
/// Writes the audit log's entries: an <see cref="AdminActionRecorded"/> appended in the session that makes the change,
/// so it is committed with it (or not at all), and published by the relay like every other contract. Ingestion
/// gathers every service's entries behind GET /v1/audit.
/// </summary>
public sealed class AdminActions(TokenwiseSettings settings, ControlSigner signer, TimeProvider clock)
{
    /// <summary>The values of a change kept in an entry; a larger change (a whole price map) keeps its size only.</summary>
    public const int MaxChangeBytes = 8_192;
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The entry for a change made by this request's key (and the person it names, if any).</summary>
    public AdminActionRecorded Of(
        ClaimsPrincipal actor,
        string kind,
        string subject,
        object change,
        string? person = null
    )
    {
        var json = JsonSerializer.Serialize(change, Compact);
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxChangeBytes)
            json = JsonSerializer.Serialize(new { truncated = true, bytes }, Compact);
        return signer.Sign(
            new AdminActionRecorded
            {
                Id = Guid.NewGuid(),
                At = clock.GetUtcNow(),
                Service = settings.ServiceName,
                Kind = kind,
                KeyId = actor.KeyId(),
                KeySource = actor.Source(),
                Person = person ?? actor.Binding().User,
                Subject = subject,
                Change = json,
            }
        );
    }

    /// <summary>Appends the entry to the session: it is saved with whatever else the session saves.</summary>
    public static void Record(IDocumentSession session, AdminActionRecorded action) =>
        session.Events.StartStream(StreamOf(action), action);

    public void Record(
        IDocumentSession session,
        ClaimsPrincipal actor,
        string kind,
        string subject,
        object change,
        string? person = null
    ) => Record(session, Of(actor, kind, subject, change, person));

    /// <summary>For a change that is not a database write (a replay from the broker): recorded on its own, after it.</summary>
    public async Task RecordAsync(
        IDocumentStore store,
        ClaimsPrincipal actor,
        string kind,
        string subject,
        object change,
        CancellationToken ct
    )
    {
        await using var session = store.LightweightSession();
        Record(session, actor, kind, subject, change);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>One stream per entry: entries never contend with each other or with the streams they describe.</summary>
    private static string StreamOf(AdminActionRecorded action) => $"audit:{action.Id:N}";
}
