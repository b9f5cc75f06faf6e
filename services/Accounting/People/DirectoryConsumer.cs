using MassTransit;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.People;

/// <summary>
/// Accounting's copy of who is in which team and who manages whom: what limits a bound reader's spend and budgets.
/// Idempotent: an entry replaces an older one and never a newer one. Only signed entries are taken.
/// </summary>
public sealed class DirectoryConsumer(TokenwiseSettings settings, ControlSigner signer)
    : IConsumer<UserDirectoryChanged>
{
    public async Task Consume(ConsumeContext<UserDirectoryChanged> context)
    {
        if (!signer.Verify(context.Message))
            return;
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await PeopleTable.UpsertAsync(
            settings.Schema,
            context.Message,
            connection,
            transaction,
            context.CancellationToken
        );
        await transaction.CommitAsync(context.CancellationToken);
    }
}

public sealed class DirectoryConsumerDefinition : ConsumerDefinition<DirectoryConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<DirectoryConsumer> consumer,
        IRegistrationContext context
    ) => endpoint.UseTransientRetry(context);
}
