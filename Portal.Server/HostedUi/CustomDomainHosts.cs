using Microsoft.AspNetCore.HostFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>
/// The custom domains of the pools (CreateUserPoolDomain with CustomDomainConfig), added to ASP.NET's host filter so a
/// custom domain is answered without editing <c>AllowedHosts</c>; any other Host is refused as before. The list comes from
/// the database only, never from a request: it is loaded at start, again when a domain changes (in this instance after the
/// commit; in the others through <see cref="Storage.ChangeNotifications"/>), and at least every <see cref="Refresh"/> period.
/// An <c>AllowedHosts</c> of <c>*</c> stays open.
/// </summary>
public sealed class CustomDomainHosts(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CustomDomainHosts> log)
    : BackgroundService, IOptionsChangeTokenSource<HostFilteringOptions>, IPostConfigureOptions<HostFilteringOptions>
{
    /// <summary>The bound on staleness should a change notification be lost.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(1);

    volatile string[] hosts = [];
    CancellationTokenSource changed = new();
    TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The custom domains answered now (lower case).</summary>
    public IReadOnlyList<string> Hosts => hosts;

    /// <summary>Completes once the list has been loaded (tests and start-up wait on it).</summary>
    public Task Loaded => loaded.Task;

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref changed).Token);

    public void PostConfigure(string? name, HostFilteringOptions options)
    {
        if (options.AllowedHosts.Count == 0 || options.AllowedHosts.Contains("*")) return;
        // A new list: the configured one may be a fixed-size array.
        options.AllowedHosts = options.AllowedHosts.Concat(hosts).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>This operation changes a domain: once it commits, this instance's host filter has the new list before the
    /// caller hears the answer (other instances hear of it through the change notification).</summary>
    public Task AfterCommit(Storage.PortalDb db, CancellationToken ct)
    {
        db.ConfigChanged(Storage.ChangeNotifications.CustomDomain, "");
        return db.Work.AfterCommit(Refresh, ct);
    }

    /// <summary>A domain changed (here or in another instance): the list is loaded again soon.</summary>
    public void Changed() => Volatile.Read(ref signal).TrySetResult();

    /// <summary>Loads the list now; when it differs, the host filter takes it.</summary>
    public async Task Refresh(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Storage.PortalDb>();
        var rows = await db.Domains.AsNoTracking().Where(d => d.Domain.Contains('.')).ToListAsync(ct);
        var fresh = rows.Where(UserPoolDomains.IsCustom).Select(d => d.Domain.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        loaded.TrySetResult();
        if (fresh.SequenceEqual(hosts, StringComparer.Ordinal)) return;
        hosts = fresh;
        var previous = Interlocked.Exchange(ref changed, new CancellationTokenSource());
        await previous.CancelAsync();
        previous.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Interlocked.Exchange(ref signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                await Refresh(stoppingToken);
                await Task.WhenAny(Volatile.Read(ref signal).Task, Task.Delay(RefreshPeriod, clock, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The database may not be ready yet at start: try again shortly.
                log.LogWarning(e, "Loading the custom domains for the host filter failed; retrying.");
                await Task.WhenAny(Volatile.Read(ref signal).Task, Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken));
            }
        }
    }

    public override void Dispose()
    {
        changed.Dispose();
        base.Dispose();
    }
}
