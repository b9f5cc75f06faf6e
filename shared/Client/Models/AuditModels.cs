using System.Text.Json;

namespace Tokenwise.Client.Models;

/// <summary>One admin action: who (key and person), when, in which service, what kind, on what, and the values it set.</summary>
public sealed record AuditEntryView(
    Guid Id,
    DateTimeOffset At,
    string Service,
    string Kind,
    string KeyId,
    string KeySource,
    string? Person,
    string Subject,
    JsonElement Change
);

/// <summary>A page of the audit log, newest first; <see cref="Next"/> is the <c>to</c> of the next page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, string? Next);
