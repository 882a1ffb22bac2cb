using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Engine;

/// <summary>A Portal (real SQLite) with two extra operations that misbehave on purpose, to see the dispatcher's unit of
/// work from outside: one writes and then breaks a constraint, one sends a second operation from inside its own.</summary>
public sealed class EngineServer : PortalServer
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<IOperation<WriteTwiceRequest, WriteTwiceResponse>, WriteTwice>();
            services.AddScoped<IOperation<NestedRequest, NestedResponse>, Nested>();
        });
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineServer>
{
    public const string Name = "engine";
}

public sealed record WriteTwiceRequest : ICognitoRequest<WriteTwiceResponse>
{
    public string? UserPoolId { get; init; }
    public string? GroupName { get; init; }
}

public sealed record WriteTwiceResponse;

/// <summary>Writes a group, then writes it again: the store's primary key refuses the second write.</summary>
sealed class WriteTwice(PortalDb db, TimeProvider clock) : IOperation<WriteTwiceRequest, WriteTwiceResponse>
{
    public async Task<WriteTwiceResponse> Handle(WriteTwiceRequest request, CancellationToken ct)
    {
        GroupRow Row() => new() { UserPoolId = request.UserPoolId!, GroupName = request.GroupName!, CreatedAt = clock.GetUtcNow(), LastModifiedAt = clock.GetUtcNow() };
        db.Groups.Add(Row());
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        db.Groups.Add(Row());
        await db.SaveChangesAsync(ct);
        return new();
    }
}

public sealed record NestedRequest : ICognitoRequest<NestedResponse>
{
    public string? UserPoolId { get; init; }
    public string? GroupName { get; init; }
    public bool Fail { get; init; }
}

public sealed record NestedResponse;

/// <summary>Creates a group through the dispatcher from inside an operation, then fails or not.</summary>
sealed class Nested(Dispatcher engine, PortalDb db) : IOperation<NestedRequest, NestedResponse>
{
    public async Task<NestedResponse> Handle(NestedRequest request, CancellationToken ct)
    {
        // A write of the outer operation first: its transaction is open (and, on SQLite, holds the writer's lock).
        await db.UserPools.Where(p => p.Id == request.UserPoolId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Version, p => p.Version), ct);
        await engine.Send(new CreateGroupRequest { UserPoolId = request.UserPoolId, GroupName = request.GroupName }, ct);
        if (request.Fail) throw new InvalidParameterException("Failing after the nested operation.");
        return new();
    }
}

/// <summary>One unit of work per operation: a failed operation leaves nothing half-written, nested sends join it,
/// durable side effects outlive it, and audit entries and metrics come from the dispatcher's behaviours.</summary>
[Collection(EngineCollection.Name)]
public sealed class UnitOfWorkTests(EngineServer server)
{
    const string Password = "Correct-Horse-9!";

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    RemoteCognito Signed => new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") },
        new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));

    RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") }, null);

    async Task<T> Db<T>(Func<PortalDb, Task<T>> work)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    async Task<string> Pool(CreateUserPoolRequest? request = null) =>
        (await Engine.Send((request ?? new CreateUserPoolRequest()) with { PoolName = PortalServer.Unique("uow") })).UserPool!.Id!;

    [Fact]
    public async Task A_constraint_violation_after_a_write_leaves_no_partial_write()
    {
        var pool = await Pool();
        await Assert.ThrowsAsync<DbUpdateException>(() => Engine.Send(new WriteTwiceRequest { UserPoolId = pool, GroupName = "twice" }));
        Assert.False(await Db(db => db.Groups.AnyAsync(g => g.UserPoolId == pool)));
        // Nothing is left holding the store: the next operation writes at once.
        await Engine.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "after" });
        Assert.Equal("after", (await Engine.Send(new GetGroupRequest { UserPoolId = pool, GroupName = "after" })).Group!.GroupName);
    }

    [Fact]
    public async Task A_nested_send_joins_the_running_operation_and_fails_with_it()
    {
        var pool = await Pool();
        // On SQLite a second unit of work would wait for the outer one's lock until the busy timeout (30 s).
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Engine.Send(new NestedRequest { UserPoolId = pool, GroupName = "rolled-back", Fail = true }, quick.Token));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Engine.Send(new GetGroupRequest { UserPoolId = pool, GroupName = "rolled-back" }));

        await Engine.Send(new NestedRequest { UserPoolId = pool, GroupName = "committed" }, quick.Token);
        Assert.Equal("committed", (await Engine.Send(new GetGroupRequest { UserPoolId = pool, GroupName = "committed" })).Group!.GroupName);
    }

    [Fact]
    public async Task A_wire_change_is_audited_with_its_access_key_in_its_own_transaction_and_without_secrets()
    {
        var admin = Signed;
        var pool = (await admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("wire-audit") })).UserPool!.Id!;
        await admin.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "carol", MessageAction = "SUPPRESS", TemporaryPassword = "Temp-Secret-123!" });
        await admin.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "carol", Password = "Perm-Secret-456!", Permanent = true });
        await admin.Send(new DescribeUserPoolRequest { UserPoolId = pool });
        await admin.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "carol" });
        // A change that fails is not in the log: its entry was in the transaction that rolled back.
        await Assert.ThrowsAsync<UsernameExistsException>(() => admin.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "carol", MessageAction = "SUPPRESS" }));

        var entries = await Db(db => db.Audit.Where(a => a.UserPoolId == pool).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["CreateUserPool", "AdminCreateUser", "AdminSetUserPassword"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(PortalServer.AccessKeyId, e.Actor));
        Assert.Equal("carol", entries[1].Target);
        Assert.All(entries, e => Assert.DoesNotContain("Secret-", e.After));
        Assert.Contains("\"Password\":\"***\"", entries[2].After);

        // The portal's audit page reads the same log.
        var listed = await Engine.Send(new ListAuditEntriesRequest { UserPoolId = pool });
        Assert.Contains(listed.Entries!, e => e.Action == "AdminSetUserPassword" && e.Actor == PortalServer.AccessKeyId);
    }

    [Fact]
    public async Task End_users_public_operations_are_not_audited()
    {
        var pool = await Pool();
        var client = (await Engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "app" })).UserPoolClient!.ClientId!;
        await Anonymous.Send(new SignUpRequest { ClientId = client, Username = "dave", Password = Password });
        Assert.False(await Db(db => db.Audit.AnyAsync(a => a.UserPoolId == pool)));
    }

    [Fact]
    public async Task A_failed_sign_in_rolls_back_but_keeps_its_lockout_count_and_its_failed_auth_event()
    {
        var pool = await Pool(new CreateUserPoolRequest { UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" } });
        var client = (await Engine.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        await Engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "erin", MessageAction = "SUPPRESS" });
        await Engine.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "erin", Password = Password, Permanent = true });

        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<NotAuthorizedException>(() => Anonymous.Send(new InitiateAuthRequest
            {
                ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "erin", ["PASSWORD"] = "Wrong-Password-1!" },
            }));

        Assert.Equal(2, await Db(db => db.Users.Where(u => u.UserPoolId == pool && u.Username == "erin").Select(u => u.FailedSignIns).SingleAsync()));
        var events = await Engine.Send(new AdminListUserAuthEventsRequest { UserPoolId = pool, Username = "erin" });
        Assert.Equal(2, events.AuthEvents!.Count(e => e is { EventType: "SignIn", EventResponse: "Fail" }));

        // The right password afterwards signs in and forgets the failures.
        var signedIn = await Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "erin", ["PASSWORD"] = Password },
        });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        Assert.Equal(0, await Db(db => db.Users.Where(u => u.UserPoolId == pool && u.Username == "erin").Select(u => u.FailedSignIns).SingleAsync()));
    }

    [Fact]
    public async Task Metrics_show_each_operations_count_and_its_errors_by_AWS_error_code()
    {
        var missing = "us-east-1_" + Guid.NewGuid().ToString("n")[..9];
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Signed.Send(new DescribeUserPoolRequest { UserPoolId = missing }));
        await Signed.Send(new ListUserPoolsRequest { MaxResults = 1 });

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        string text = "";
        // The exporter may answer from a scrape made a moment before: ask until it shows the calls (or the deadline).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            text = await http.GetStringAsync("/metrics");
            if (text.Contains("error_code=\"ResourceNotFoundException\"") && text.Contains("operation=\"ListUserPools\"")) break;
            await Task.Yield();
        }
        Assert.Contains(text.Split('\n'), l => l.StartsWith("portal_operation_errors_total{", StringComparison.Ordinal)
                                               && l.Contains("error_code=\"ResourceNotFoundException\"") && l.Contains("operation=\"DescribeUserPool\""));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("portal_operations_total{", StringComparison.Ordinal) && l.Contains("operation=\"ListUserPools\""));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("portal_operation_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("operation=\"ListUserPools\""));
        // .NET's runtime metrics beside them: the JIT's time (the benchmarks warm up until it stops), the GC's heaps.
        Assert.Contains(text.Split('\n'), l => l.StartsWith("dotnet_jit_compilation_time_seconds_total", StringComparison.Ordinal)
                                               && double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("dotnet_gc_", StringComparison.Ordinal));
    }
}
