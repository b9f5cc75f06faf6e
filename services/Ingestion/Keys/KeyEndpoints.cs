namespace Tokenwise.Ingestion.Keys;

internal static class KeyEndpoints
{
    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        app.MapIssueKey();
        app.MapRevokeKey();
        app.MapListKeys();
        app.MapCurrentKey();
        app.MapDisableBootstrapKey();
    }
}
