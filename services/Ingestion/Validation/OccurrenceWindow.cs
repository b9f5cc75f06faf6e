using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Validation;

/// <summary>
/// How late or early an event may be. Late events (up to 35 days) are accepted and land on the day they occurred;
/// events more than 5 minutes ahead of our clock are a sender's clock bug and are rejected.
/// </summary>
internal static class OccurrenceWindow
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(35);
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static void Check(JsonFields fields, string field, DateTimeOffset? occurredAt, DateTimeOffset now)
    {
        if (occurredAt is not { } at)
            return;
        if (at > now + MaxClockSkew)
            fields.Fail(field, "is more than 5 minutes in the future");
        else if (at < now - MaxAge)
            fields.Fail(field, "is more than 35 days in the past");
    }
}
