using MassTransit;

namespace Tokenwise.Testing;

/// <summary>
/// Counts messages a host's consumers have finished with (successfully or not), so a test can wait until a
/// redelivered message has really been handled before asserting it changed nothing.
/// </summary>
public sealed class ConsumedMessages<T> : IConsumeObserver
    where T : class
{
    private readonly Func<T, bool> _matches;
    private int _count;

    private ConsumedMessages(Func<T, bool> matches) => _matches = matches;

    public int Count => _count;

    public static ConsumedMessages<T> Watch(IBus bus, Func<T, bool> matches)
    {
        var observer = new ConsumedMessages<T>(matches);
        bus.ConnectConsumeObserver(observer);
        return observer;
    }

    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class => Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class => Record(context.Message);

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception)
        where TMessage : class => Record(context.Message);

    private Task Record(object message)
    {
        if (message is T typed && _matches(typed))
            Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }
}
