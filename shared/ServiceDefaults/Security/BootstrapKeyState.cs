namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Whether TOKENWISE_BOOTSTRAP_KEY has been switched off in this service: once off, off for good.</summary>
public sealed class BootstrapKeyState
{
    public const string DocumentId = "bootstrap";
    public string Id { get; set; } = DocumentId;
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledBy { get; set; }

    /// <summary>Records in the session that the bootstrap key is off; the first time it was turned off stays.</summary>
    public static async Task DisableAsync(
        Marten.IDocumentSession session,
        string by,
        DateTimeOffset at,
        CancellationToken ct
    )
    {
        var state = await session.LoadAsync<BootstrapKeyState>(DocumentId, ct);
        if (state?.DisabledAt is not null)
            return;
        session.Store(new BootstrapKeyState { DisabledAt = at, DisabledBy = by });
    }
}
