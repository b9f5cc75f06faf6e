using Marten.Events.Aggregation;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;

namespace Tokenwise.Ingestion.UserDirectory;

/// <summary>A person in the directory, projected inline from their <see cref="UserDirectoryChanged"/> stream.</summary>
public sealed class DirectoryEntry
{
    /// <summary>The stream key ("user:&lt;user&gt;"); <see cref="User"/> is the person's id.</summary>
    public string Id { get; set; } = "";
    public string User { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Team { get; set; }
    public string? Manager { get; set; }
    public List<string> Aliases { get; set; } = [];

    /// <summary>Every lower-cased name this person is known by: the user id, the email and the aliases.</summary>
    public List<string> Identities { get; set; } = [];
    public DateTimeOffset ChangedAt { get; set; }

    public static string StreamKey(string user) => "user:" + user;

    public static List<string> IdentitiesOf(UserDirectoryChanged change) =>
        new[] { change.User, change.Email }
            .Concat(change.Aliases)
            .OfType<string>()
            .Select(Normalize)
            .Distinct()
            .ToList();

    public static string Normalize(string identity) => identity.Trim().ToLowerInvariant();

    public DirectoryUser ToModel() => new(User, DisplayName, Email, Team, Manager, Aliases, Identities, ChangedAt);
}

public sealed class DirectoryEntryProjection : SingleStreamProjection<DirectoryEntry, string>
{
    public static DirectoryEntry Create(UserDirectoryChanged change) => Apply(new DirectoryEntry(), change);

    public static DirectoryEntry Apply(DirectoryEntry entry, UserDirectoryChanged change)
    {
        entry.Id = DirectoryEntry.StreamKey(change.User);
        entry.User = change.User;
        entry.DisplayName = change.DisplayName;
        entry.Email = change.Email;
        entry.Team = change.Team;
        entry.Manager = change.Manager;
        entry.Aliases = change.Aliases.ToList();
        entry.Identities = DirectoryEntry.IdentitiesOf(change);
        entry.ChangedAt = change.ChangedAt;
        return entry;
    }
}
