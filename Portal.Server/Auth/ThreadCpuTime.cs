using System.Runtime.InteropServices;

namespace Portal.Server.Auth;

/// <summary>The calling thread's own CPU time (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), on Linux and macOS; null
/// elsewhere. Unlike the process's time it is not shared with the threads running beside it, so the cost of one piece
/// of work (a password hash) is read exactly on a busy server.</summary>
static partial class ThreadCpuTime
{
    static readonly int? Clock = OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() ? 16 : null;

    public static TimeSpan? Now()
    {
        if (Clock is not { } clock || ClockGetTime(clock, out var time) != 0) return null;
        return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
    }

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);
}
