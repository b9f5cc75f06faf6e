using System.Globalization;
using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Audit;

/// <summary>
/// GET /v1/audit?from=&amp;to=&amp;actor=&amp;kind=&amp;limit= (admin): every service's admin actions, newest first. from and to
/// are RFC 3339 times or days (to is exclusive; default the last 30 days); actor matches a key id, a key's source or a
/// person; kind is a kind ("budget.set") or its family ("budget"). A full page's <c>next</c> is the <c>to</c> of the next.
/// </summary>
internal static class ReadAuditEndpoint
{
    public const int DefaultLimit = 100,
        MaxLimit = 500;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    public static void MapReadAudit(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/audit",
                async (
                    string? from,
                    string? to,
                    string? actor,
                    string? kind,
                    int? limit,
                    IQuerySession session,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    var errors = new ValidationErrors();
                    var end = Time(to, "to", errors) ?? clock.GetUtcNow().AddTicks(1);
                    var start = Time(from, "from", errors) ?? end - DefaultRange;
                    if (start >= end && !errors.Any)
                        errors.Add("from", "must be before to");
                    if (actor is not null && TextRules.Problem(actor) is { } actorProblem)
                        errors.Add("actor", actorProblem);
                    var families = AdminActionKinds.All.Select(k => k.Split('.')[0]).ToHashSet();
                    if (kind is not null && !AdminActionKinds.All.Contains(kind) && !families.Contains(kind))
                        errors.Add(
                            "kind",
                            $"must be one of {string.Join(", ", AdminActionKinds.All.Order())} or a family ({string.Join(", ", families.Order())})"
                        );
                    if (limit is < 1 or > MaxLimit)
                        errors.Add("limit", $"must be from 1 to {MaxLimit}");
                    if (errors.Any)
                        return errors.ToProblem();

                    var entries = session.Query<AuditEntry>().Where(e => e.Action.At >= start && e.Action.At < end);
                    if (actor is not null)
                        entries = entries.Where(e =>
                            e.Action.KeyId == actor || e.Action.KeySource == actor || e.Action.Person == actor
                        );
                    if (kind is not null)
                    {
                        var family = kind + ".";
                        entries = AdminActionKinds.All.Contains(kind)
                            ? entries.Where(e => e.Action.Kind == kind)
                            : entries.Where(e => e.Action.Kind.StartsWith(family));
                    }
                    var page = await entries
                        .OrderByDescending(e => e.Action.At)
                        .Take(limit ?? DefaultLimit)
                        .ToListAsync(ct);
                    var next =
                        page.Count == (limit ?? DefaultLimit)
                            ? page[^1].Action.At.ToString("O", CultureInfo.InvariantCulture)
                            : null;
                    return Results.Ok(new AuditPage(page.Select(e => e.ToModel()).ToList(), next));
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ReadAudit")
            .Produces<AuditPage>()
            .ProducesValidationProblem();

    private static DateTimeOffset? Time(string? text, string field, ValidationErrors errors)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        errors.Add(field, "must be an RFC 3339 time or a day (yyyy-MM-dd)");
        return null;
    }
}
