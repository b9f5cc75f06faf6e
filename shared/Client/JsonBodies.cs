using System.Net.Http.Headers;

namespace Tokenwise.Client;

/// <summary>Exact bytes as a JSON request body, for webhooks whose signature covers the bytes.</summary>
public static class JsonBodies
{
    public static ByteArrayContent Of(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
