using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>The bootstrap key opens a fresh installation, and an admin switches it off for good once they have a key of their own.</summary>
public sealed class BootstrapKeyTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    [Fact]
    public async Task The_bootstrap_key_is_switched_off_everywhere_only_once_an_admin_key_exists()
    {
        var refused = await system.Api.DisableBootstrapKeyAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.ErrorMediaType());

        var admin = (await system.Api.IssueKeyAsync(new KeyRequest("ops-admin", ["admin"]))).Content!;
        var adminApi = system.Ingestion.Client<IIngestionApi>(admin.Key);
        await Eventually.Until(
            () => system.Accounting.Client<IAccountingApi>(admin.Key).GetSpendAsync("user"),
            r => r.StatusCode == HttpStatusCode.OK,
            "Accounting to accept the admin key"
        );
        Assert.Equal(HttpStatusCode.NoContent, (await adminApi.DisableBootstrapKeyAsync()).StatusCode);

        await Eventually.Until(
            () => system.Api.ListKeysAsync(),
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            "Ingestion to refuse the bootstrap key"
        );
        await Eventually.Until(
            () => system.Accounting.Client<IAccountingApi>().GetSpendAsync("user"),
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            "Accounting to refuse the bootstrap key"
        );
        // The admin key still works, and switching off again is harmless.
        Assert.Equal(HttpStatusCode.OK, (await adminApi.ListKeysAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await adminApi.DisableBootstrapKeyAsync()).StatusCode);
    }
}
