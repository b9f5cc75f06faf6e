using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;

namespace Tokenwise.Ingestion.Audit;

/// <summary>One line of the audit log: a service's <see cref="AdminActionRecorded"/> as it arrived, kept under its id.</summary>
public sealed record AuditEntry(Guid Id, AdminActionRecorded Action)
{
    public static AuditEntry From(AdminActionRecorded action) => new(action.Id, action with { Signature = null });

    public AuditEntryView ToModel() =>
        new(
            Id,
            Action.At,
            Action.Service,
            Action.Kind,
            Action.KeyId,
            Action.KeySource,
            Action.Person,
            Action.Subject,
            JsonDocument.Parse(Action.Change).RootElement.Clone()
        );
}
