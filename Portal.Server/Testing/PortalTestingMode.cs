using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;

namespace Portal.Server.Testing;

/// <summary>Testing mode for the portal's Testing page: the same mailbox and operations as the HTTP routes. Each call
/// uses its own scope (a Blazor circuit lives long; its store must not).</summary>
public sealed class PortalTestingMode(IServiceScopeFactory scopes, Dispatcher dispatcher, IOptions<TestingOptions> options, Issuer issuer) : ITestingMode
{
    public bool Enabled => options.Value.Enabled;

    public string BaseUrl => issuer.BaseUrl;

    public async Task<IReadOnlyList<TestingMessage>> Mailbox(string? userPoolId, DateTimeOffset? since, TimeSpan wait, CancellationToken ct)
    {
        if (!Enabled) return [];
        await using var scope = scopes.CreateAsyncScope();
        var mailbox = scope.ServiceProvider.GetRequiredService<Mailbox>();
        var query = new MailboxQuery(userPoolId, null, null, null, since, 100);
        var found = wait > TimeSpan.Zero ? await mailbox.Wait(query, wait, ct) : await mailbox.List(query, ct);
        return found.Select(m => new TestingMessage(m.Id, m.UserPoolId, m.Channel, m.Kind, m.Destination, m.Subject, m.Body, m.Code, m.Link, m.CreatedAt)).ToList();
    }

    public async Task<int> ClearMailbox(string? userPoolId, CancellationToken ct)
    {
        if (!Enabled) return 0;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Mailbox>().Clear(userPoolId, ct);
    }

    public async Task<int> Reset(string userPoolId, string actor, CancellationToken ct)
    {
        if (!Enabled) throw new InvalidParameterException("Testing mode is off.");
        var reset = await dispatcher.Send(new ResetTestPoolRequest { UserPoolId = userPoolId }, new Caller(actor, FromPortal: true), ct);
        return reset.UsersDeleted;
    }

    public async Task<string> Clone(string userPoolId, string actor, CancellationToken ct)
    {
        if (!Enabled) throw new InvalidParameterException("Testing mode is off.");
        var clone = await dispatcher.Send(new CloneTestPoolRequest { UserPoolId = userPoolId }, new Caller(actor, FromPortal: true), ct);
        return clone.UserPoolId!;
    }

    public async Task<TimeSpan> ClockOffset(string userPoolId, CancellationToken ct)
    {
        if (!Enabled) return TimeSpan.Zero;
        var clock = await dispatcher.Send(new GetTestPoolClockRequest { UserPoolId = userPoolId }, ct);
        return TimeSpan.FromSeconds(clock.OffsetSeconds);
    }

    public async Task<TimeSpan> SetClock(string userPoolId, TimeSpan offset, string actor, CancellationToken ct)
    {
        if (!Enabled) throw new InvalidParameterException("Testing mode is off.");
        var clock = await dispatcher.Send(new SetTestPoolClockRequest { UserPoolId = userPoolId, OffsetSeconds = (long)offset.TotalSeconds },
            new Caller(actor, FromPortal: true), ct);
        return TimeSpan.FromSeconds(clock.OffsetSeconds);
    }
}
