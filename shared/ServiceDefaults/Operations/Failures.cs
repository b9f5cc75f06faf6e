using System.Net.Sockets;
using Npgsql;
using Tokenwise.ServiceDefaults.Problems;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>
/// Tells a failure that waiting cures (the database or broker away, a deadlock, a timeout, a shutdown) from one it
/// never will (the data itself is refused: a value PostgreSQL cannot store, an overflow, a bug that this item
/// triggers). The first is retried with backoff; the second is isolated to the items that cause it (ItemIsolation).
/// </summary>
public static class Failures
{
    public static bool IsTransient(Exception exception)
    {
        if (OutageExceptionHandler.IsOutage(exception))
            return true;
        for (var e = exception; e is not null; e = e.InnerException)
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState
                            is PostgresErrorCodes.DeadlockDetected
                                or PostgresErrorCodes.SerializationFailure
                                or PostgresErrorCodes.LockNotAvailable
                                or PostgresErrorCodes.QueryCanceled
                        || pg.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources
                        || pg.SqlState.StartsWith("58", StringComparison.Ordinal); // system error (I/O)
                case NpgsqlException
                or SocketException
                or IOException
                or TimeoutException
                or OperationCanceledException:
                    return true;
                // Two writers of one stream at once (Marten, JasperFx): the next try sees the other's events.
                case { } other when other.GetType().Name.Contains("Concurrency", StringComparison.Ordinal):
                    return true;
                // The broker's client: a closed channel or connection comes back.
                case { } other
                    when other.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true:
                    return true;
            }
        return false;
    }
}
