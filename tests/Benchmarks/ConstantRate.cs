using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Tokenwise.Benchmarks;

/// <summary>
/// Open loop at a constant rate over kept-alive HTTP/1.1 connections, each driven by a thread of its own with blocking
/// sockets: connection c of C sends requests c, c + C, c + 2C, …, request n due at n / rate. An answer that comes late
/// makes that connection's next request late, and its latency still counts from when it was due (as wrk2 counts it),
/// so a stall is not left out. No thread pool, no async hops, no per-request allocation and no HTTP client library:
/// against nginx answering from memory, the Refit client of <see cref="OpenLoop"/> measured p50 1.3 ms and p99
/// 8–38 ms on its own (docs/benchmarks.md), which is more than the goals it was measuring.
/// </summary>
internal static class ConstantRate
{
    /// <summary>What one answer said, as the generator counts it.</summary>
    internal enum Outcome
    {
        Expected,
        Refused,
        Unexpected,
    }

    /// <summary>Runs the load; returns what it measured and how many answers were refusals and how many unexpected.</summary>
    public static (OpenLoopResult Result, int Refused, int Unexpected) Run(
        Uri target,
        int requestsPerSecond,
        TimeSpan duration,
        int connections,
        Func<int, byte[]> request,
        Func<int, ReadOnlySpan<byte>, Outcome> judge
    )
    {
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var fromSent = new double[total];
        var fromDue = new double[total];
        var lag = new double[total];
        var outcomes = new Outcome[total];
        var errors = new ConcurrentQueue<Exception>();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var threads = Enumerable
            .Range(0, connections)
            .Select(c => new Thread(() =>
            {
                try
                {
                    RunConnection(
                        target,
                        c,
                        connections,
                        total,
                        n => start + (long)((double)n * Stopwatch.Frequency / requestsPerSecond),
                        request,
                        judge,
                        outcomes,
                        fromSent,
                        fromDue,
                        lag
                    );
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            })
            {
                IsBackground = true,
                Name = $"connection {c}",
            })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (!errors.IsEmpty)
            throw new AggregateException("the constant-rate client failed", errors);

        var result = new OpenLoopResult(new Latencies(), new Latencies(), new Latencies(), []);
        for (var n = 0; n < total; n++)
        {
            result.FromSent.Add(TimeSpan.FromMilliseconds(fromSent[n]));
            result.FromDue.Add(TimeSpan.FromMilliseconds(fromDue[n]));
            result.Lag.Add(TimeSpan.FromMilliseconds(lag[n]));
            result.Timeline.Add(
                (TimeSpan.FromSeconds((double)n / requestsPerSecond), TimeSpan.FromMilliseconds(fromDue[n]))
            );
        }
        return (result, outcomes.Count(o => o == Outcome.Refused), outcomes.Count(o => o == Outcome.Unexpected));
    }

    private static void RunConnection(
        Uri target,
        int first,
        int step,
        int total,
        Func<int, long> dueAt,
        Func<int, byte[]> request,
        Func<int, ReadOnlySpan<byte>, Outcome> judge,
        Outcome[] outcomes,
        double[] fromSent,
        double[] fromDue,
        double[] lag
    )
    {
        var buffer = new byte[64 * 1024];
        Socket? socket = null;
        try
        {
            for (var n = first; n < total; n += step)
            {
                var due = dueAt(n);
                var bytes = request(n);
                SleepUntil(due);
                socket ??= Connect(target);
                var sent = Stopwatch.GetTimestamp();
                socket.Send(bytes);
                var (length, close) = ReadAnswer(socket, buffer);
                var answered = Stopwatch.GetTimestamp();
                outcomes[n] = judge(n, buffer.AsSpan(0, length));
                if (close)
                {
                    socket.Dispose();
                    socket = null;
                }
                fromSent[n] = Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds;
                fromDue[n] = Stopwatch.GetElapsedTime(due, answered).TotalMilliseconds;
                lag[n] = Math.Max(0, Stopwatch.GetElapsedTime(due, sent).TotalMilliseconds);
            }
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private static Socket Connect(Uri target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(target.Host, target.Port);
        return socket;
    }

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    /// <summary>
    /// Reads one HTTP/1.1 answer into <paramref name="buffer"/>: headers, then a body of Content-Length bytes or chunks
    /// up to the last one. Returns its length and whether the server closes the connection after it.
    /// </summary>
    internal static (int Length, bool Close) ReadAnswer(Socket socket, byte[] buffer)
    {
        var length = 0;
        var headerEnd = -1;
        while (true)
        {
            if (length == buffer.Length)
                throw new InvalidOperationException($"an answer longer than {buffer.Length} bytes");
            var read = socket.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (read == 0)
                throw new InvalidOperationException("the server closed the connection before answering");
            length += read;
            if (headerEnd < 0)
            {
                var at = buffer.AsSpan(0, length).IndexOf(HeaderEnd);
                if (at < 0)
                    continue;
                headerEnd = at + HeaderEnd.Length;
            }
            var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
            var close = headers.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase);
            var contentLength = HeaderValue(headers, "Content-Length");
            if (contentLength is not null)
            {
                if (length >= headerEnd + int.Parse(contentLength))
                    return (length, close);
            }
            else if (headers.Contains("\r\nTransfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            {
                if (buffer.AsSpan(headerEnd, length - headerEnd).EndsWith(LastChunk))
                    return (length, close);
            }
            else
                return (length, close);
        }
    }

    private static string? HeaderValue(string headers, string name)
    {
        var at = headers.IndexOf($"\r\n{name}:", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return null;
        var start = at + name.Length + 3;
        return headers[start..headers.IndexOf("\r\n", start, StringComparison.Ordinal)].Trim();
    }

    /// <summary>The answer's status code, from its first line ("HTTP/1.1 200 OK").</summary>
    internal static int StatusCode(ReadOnlySpan<byte> answer) =>
        (answer[9] - '0') * 100 + (answer[10] - '0') * 10 + (answer[11] - '0');

    /// <summary>
    /// Sleeps until a <see cref="Stopwatch"/> timestamp. On Linux that clock is CLOCK_MONOTONIC in nanoseconds, and an
    /// absolute clock_nanosleep wakes within the kernel's timer slack (about 50 µs); Thread.Sleep counts whole
    /// milliseconds from when it is called.
    /// </summary>
    private static void SleepUntil(long timestamp)
    {
        if (OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000)
        {
            var until = new Timespec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            while (clock_nanosleep(ClockMonotonic, TimerAbsolute, ref until, IntPtr.Zero) == Interrupted) { }
            return;
        }
        while (Stopwatch.GetTimestamp() < timestamp)
            Thread.Sleep(1);
    }

    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;
    private const int Interrupted = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_nanosleep(int clock, int flags, ref Timespec request, IntPtr remaining);
}
