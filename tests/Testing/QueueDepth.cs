using RabbitMQ.Client;

namespace Tokenwise.Testing;

/// <summary>How many messages wait in a queue of the environment's virtual host (a passive declare, as an operator would look).</summary>
public static class QueueDepth
{
    public static async Task<uint> OfAsync(IsolatedEnvironment environment, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = environment.RabbitMq }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }
}
