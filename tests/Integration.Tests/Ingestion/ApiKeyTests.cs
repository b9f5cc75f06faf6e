using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Ingestion;

public sealed class ApiKeyTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private static UsageEvent Usage() =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow,
            User = "gina",
            Model = "gpt-4o",
            InputTokens = 1,
        };

    [Fact]
    public async Task An_issued_key_is_shown_once_listed_without_its_secret_and_scoped_by_its_source()
    {
        var issued = (
            await system.Api.IssueKeyAsync(new KeyRequest("litellm-gateway", ["ingest"], "prod gateway"))
        ).Content!;
        var gateway = system.Ingestion.Client<IIngestionApi>(issued.Key);

        var usage = Usage();
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.RecordUsageAsync(usage)).StatusCode);
        // The same id from another source is another event: ids are unique per source.
        Assert.Equal(new IngestResult(1, 0), (await system.Api.RecordUsageAsync(usage)).Content);
        Assert.NotNull(await system.StoredUsage($"litellm-gateway/{usage.Id}"));

        var listed = Assert.Single((await system.Api.ListKeysAsync()).Content!, k => k.Id == issued.Id);
        Assert.Equal(("litellm-gateway", "prod gateway"), (listed.Source, listed.Description));
        // The raw listing holds neither the key nor its hash: only the key's id and what it may do.
        using var http = system.Ingestion.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var raw = await http.GetStringAsync("/v1/keys");
        Assert.DoesNotContain(issued.Key, raw);
        Assert.DoesNotContain(Tokenwise.ServiceDefaults.Security.ApiKeyFormat.Hash(issued.Key), raw);
    }

    [Fact]
    public async Task A_key_without_the_needed_scope_gets_403_problem_details()
    {
        var ingestOnly = (await system.Api.IssueKeyAsync(new KeyRequest("ci", ["ingest"]))).Content!;
        var readOnly = (await system.Api.IssueKeyAsync(new KeyRequest("bi", ["read"]))).Content!;

        var listWithIngestKey = await system.Ingestion.Client<IIngestionApi>(ingestOnly.Key).ListKeysAsync();
        var postWithReadKey = await system.Ingestion.Client<IIngestionApi>(readOnly.Key).RecordUsageAsync(Usage());

        Assert.Equal(
            (HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            (listWithIngestKey.StatusCode, postWithReadKey.StatusCode)
        );
        Assert.Equal("application/problem+json", postWithReadKey.ErrorMediaType());
    }

    [Fact]
    public async Task A_key_issued_in_Ingestion_is_accepted_by_Accounting_and_a_revoked_key_is_refused_everywhere()
    {
        var reader = (await system.Api.IssueKeyAsync(new KeyRequest("finance-bi", ["read"]))).Content!;
        var accounting = system.Accounting.Client<IAccountingApi>(reader.Key);
        await Eventually.Until(
            () => accounting.GetSpendAsync("user"),
            r => r.StatusCode == HttpStatusCode.OK,
            "Accounting to learn the new key from ApiKeyIssued"
        );

        Assert.Equal(HttpStatusCode.NoContent, (await system.Api.RevokeKeyAsync(reader.Id)).StatusCode);
        await Eventually.Until(
            () => accounting.GetSpendAsync("user"),
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            "Accounting to refuse the revoked key"
        );
        await Eventually.Until(
            () => system.Ingestion.Client<IIngestionApi>(reader.Key).ListDirectoryUsersAsync(),
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            "Ingestion to refuse the revoked key"
        );
    }

    [Theory]
    [InlineData("github", "ingest")]
    [InlineData("Has Spaces", "ingest")]
    [InlineData("ok-source", "superuser")]
    public async Task A_key_request_with_a_reserved_or_invalid_source_or_scope_is_rejected(string source, string scope)
    {
        var response = await system.Api.IssueKeyAsync(new KeyRequest(source, [scope]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
