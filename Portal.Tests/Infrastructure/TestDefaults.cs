using System.Runtime.CompilerServices;

namespace Portal.Tests.Infrastructure;

/// <summary>Waits that hold on a loaded 2-core CI machine, set once for the whole test assembly: bUnit's WaitFor*
/// default is one second, too short when 600 tests share the cores. A wait ends as soon as its condition holds.</summary>
static class TestDefaults
{
    [ModuleInitializer]
    internal static void Set()
    {
        Bunit.BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(20_000);
        // The in-process Portal servers share the thread pool with tests that block (bUnit's synchronous waits): enough
        // threads from the start, so a server's requests never wait for the pool to grow.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
