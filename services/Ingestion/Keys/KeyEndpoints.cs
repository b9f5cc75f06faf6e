using Tokenwise.Ingestion.Keys.DisablingBootstrapKey;
using Tokenwise.Ingestion.Keys.IssuingKey;
using Tokenwise.Ingestion.Keys.ListingKeys;
using Tokenwise.Ingestion.Keys.RevokingKey;

namespace Tokenwise.Ingestion.Keys;

internal static class KeyEndpoints
{
    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        app.MapIssueKey();
        app.MapRevokeKey();
        app.MapListKeys();
        app.MapDisableBootstrapKey();
    }
}
