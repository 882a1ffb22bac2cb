using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>What a component test drives: the contract, the requests a page sent and the engine's answers, hooks to make
/// one request fail or answer it as a test needs, and set-up and look-up helpers.</summary>
public interface ITestCognito : ICognito
{
    /// <summary>Makes the next matching requests fail: return an exception to throw, or null to answer normally.</summary>
    Func<object, CognitoException?>? Fail { get; set; }
    /// <summary>Answers a request in the test's stead: return the response, or null to let the engine answer.</summary>
    Func<object, object?>? Answer { get; set; }
    IReadOnlyList<object> Sent { get; }
    List<T> Requests<T>();
    /// <summary>The answers the page got, in order (the engine's or the test's <see cref="Answer"/>).</summary>
    List<T> Responses<T>();

    /// <summary>Sends a request for the test's set-up, unrecorded and never failed or answered by the hooks.</summary>
    TResponse Setup<TResponse>(ICognitoRequest<TResponse> request) where TResponse : new();
    string AddPool(string name, Func<UserPoolType, UserPoolType>? configure = null);
    void AddUser(string poolId, string username, params (string Name, string Value)[] attributes);
    void AddUsers(string poolId, IEnumerable<(string Username, (string Name, string Value)[] Attributes)> users, string? group = null);
    void SetUser(string poolId, string username, bool? enabled = null);
    void SetUserMfa(string poolId, string username, string[] factors, string? preferred = null);
    void SetPoolMfa(SetUserPoolMfaConfigRequest config);
    IReadOnlyList<string> MfaOf(string poolId, string username);
    void AddGroup(string poolId, string group, string? description = null, int? precedence = null);
    void AddToGroup(string poolId, string username, string group);
    string AddClient(string poolId, string name, bool secret = false);
    bool HasUser(string poolId, string username);
    bool IsEnabled(string poolId, string username);
    string? Attribute(string poolId, string username, string name);
    IReadOnlyList<string> GroupsOf(string poolId, string username);
    UserPoolType PoolSettings(string poolId);
    bool HasPool(string poolId);
}

/// <summary>The real engine for component tests: the dispatcher of a Portal on its own temporary SQLite store, so a page
/// meets the engine's own rules, ids, tokens and errors and cannot drift from them. One Portal is started once for the whole
/// test run and shared, every test making its own pool; a test whose page shows every pool (a count, the first pool) gets a
/// Portal of its own. Set-up and look-ups go to the engine (or, to seed users without hashing a password, to its store)
/// directly; only the page's requests and the answers it got are recorded.</summary>
public sealed class EngineCognito : ITestCognito, IDisposable
{
    static readonly Lazy<PortalServer> Shared = new(() =>
    {
        var server = new PortalServer();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    readonly PortalServer server;
    readonly bool own;
    readonly Dispatcher engine;
    readonly object gate = new();
    readonly List<object> sent = [];
    readonly List<object> received = [];

    /// <param name="own">A Portal for this instance alone, stopped by <see cref="Dispose"/>; otherwise the shared one.</param>
    public EngineCognito(bool own = false)
    {
        this.own = own;
        server = own ? new PortalServer() : Shared.Value;
        engine = server.Services.GetRequiredService<Dispatcher>();
    }

    public void Dispose()
    {
        if (own) server.Dispose();
    }

    /// <summary>The Portal behind the engine, for a test that must also reach it over HTTP (the gateway's routes).</summary>
    public PortalServer Server => server;

    public Func<object, CognitoException?>? Fail { get; set; }
    public Func<object, object?>? Answer { get; set; }
    public IReadOnlyList<object> Sent { get { lock (gate) return sent.ToList(); } }
    public List<T> Requests<T>() => Sent.OfType<T>().ToList();
    public List<T> Responses<T>() { lock (gate) return received.OfType<T>().ToList(); }

    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        lock (gate) sent.Add(request);
        if (Fail?.Invoke(request) is { } failure) throw failure;
        var response = Answer?.Invoke(request) is { } answer ? (TResponse)answer : await engine.Send(request, ct);
        lock (gate) received.Add(response!);
        return response;
    }

    /// <summary>Runs set-up work on the engine's store in a scope of its own, off the test's synchronization context.</summary>
    void Store(Func<IServiceProvider, Task> work) => Task.Run(async () =>
    {
        await using var scope = server.Services.CreateAsyncScope();
        await work(scope.ServiceProvider);
    }).GetAwaiter().GetResult();

    /// <summary>Sends for the test's set-up, off the test's synchronization context, unrecorded.</summary>
    TResponse Do<TResponse>(ICognitoRequest<TResponse> request) where TResponse : new() =>
        Task.Run(() => engine.Send(request)).GetAwaiter().GetResult();

    public TResponse Setup<TResponse>(ICognitoRequest<TResponse> request) where TResponse : new() => Do(request);

    /// <summary>A pool named <paramref name="name"/> (its id is unique; the engine may hold others of that name), changed by
    /// <paramref name="configure"/> as an operator would: UpdateUserPool, CreateUserPoolDomain for a domain and
    /// AddCustomAttributes for the custom attributes it adds to the schema.</summary>
    public string AddPool(string name, Func<UserPoolType, UserPoolType>? configure = null)
    {
        var id = Do(new CreateUserPoolRequest { PoolName = name }).UserPool!.Id!;
        if (configure is null) return id;
        var current = PoolSettings(id);
        var wanted = configure(current);
        Do(PoolUpdate.From(wanted));
        if (wanted.Domain is { } domain && domain != current.Domain) Do(new CreateUserPoolDomainRequest { UserPoolId = id, Domain = domain });
        var custom = (wanted.SchemaAttributes ?? [])
            .Where(a => a.Name!.StartsWith("custom:", StringComparison.Ordinal) && current.SchemaAttributes?.Any(c => c.Name == a.Name) != true)
            .Select(a => new SchemaAttributeType { Name = a.Name!["custom:".Length..], AttributeDataType = a.AttributeDataType ?? "String", Mutable = a.Mutable ?? true })
            .ToList();
        if (custom.Count > 0) Do(new AddCustomAttributesRequest { UserPoolId = id, CustomAttributes = custom });
        return id;
    }

    /// <summary>A confirmed user with these attributes and no password, written into the engine's store as AdminCreateUser
    /// writes a user (the pool's attribute rules checked, the searchable columns filled): no Argon2id hash per user, so a
    /// test can seed a hundred users in well under a second. No component test signs a seeded user in.</summary>
    public void AddUser(string poolId, string username, params (string Name, string Value)[] attributes) =>
        AddUsers(poolId, [(username, attributes)]);

    /// <summary>Users as <see cref="AddUser"/> writes them, all in one transaction, and members of <paramref name="group"/>
    /// when given (the membership rows AdminAddUserToGroup writes): a page of users costs one commit, not one each.</summary>
    public void AddUsers(string poolId, IEnumerable<(string Username, (string Name, string Value)[] Attributes)> users, string? group = null) =>
        Store(async services =>
        {
            var pool = await services.GetRequiredService<UserPoolStore>().Get(poolId, CancellationToken.None);
            var db = services.GetRequiredService<PortalDb>();
            var groupName = group is null ? null
                : db.Groups.Where(g => g.UserPoolId == pool.Row.Id && g.GroupName == group).Select(g => g.GroupName).SingleOrDefault()
                  ?? throw new ResourceNotFoundException("Group not found.");
            var now = server.Clock.GetUtcNow();
            foreach (var (username, attributes) in users)
            {
                var values = attributes.Select(a => new AttributeType { Name = a.Name, Value = a.Value }).ToList();
                AttributeRules.CheckWritable(pool.Settings, values, creating: true);
                var row = new UserRow
                {
                    Sub = Ids.NewSub(), UserPoolId = pool.Row.Id, Username = username, UsernameKey = UserStore.Key(pool.Row, username),
                    Status = "CONFIRMED", Enabled = true, CreatedAt = now, LastModifiedAt = now,
                };
                UserStore.SetAttributes(row, values.Select(a => KeyValuePair.Create(a.Name!, a.Value)));
                db.Users.Add(row);
                if (groupName is not null) db.GroupMembers.Add(new GroupMemberRow { UserPoolId = pool.Row.Id, GroupName = groupName, UserSub = row.Sub });
            }
            await db.SaveChangesAsync();
        });

    public void SetUser(string poolId, string username, bool? enabled = null)
    {
        if (enabled == true) Do(new AdminEnableUserRequest { UserPoolId = poolId, Username = username });
        if (enabled == false) Do(new AdminDisableUserRequest { UserPoolId = poolId, Username = username });
    }

    /// <summary>Turns these factors on for the user with AdminSetUserMFAPreference, as an administrator would; the pool must
    /// offer them (and the user have the phone number or email they go to). An authenticator app needs a verified TOTP
    /// secret first: that one is written into the user's MFA settings in the store, as VerifySoftwareToken leaves it.</summary>
    public void SetUserMfa(string poolId, string username, string[] factors, string? preferred = null)
    {
        if (factors.Contains(Mfa.SoftwareToken))
            Store(async services =>
            {
                var pool = await services.GetRequiredService<UserPoolStore>().Get(poolId, CancellationToken.None);
                var user = await services.GetRequiredService<UserStore>().Get(pool, username, CancellationToken.None);
                var settings = Mfa.Read(user);
                settings.SoftwareTokenSecret = services.GetRequiredService<Mfa>().NewSecret().Protected;
                Mfa.Write(user, settings);
                await services.GetRequiredService<PortalDb>().SaveChangesAsync();
            });
        bool? On(string factor) => factors.Contains(factor) ? true : null;
        bool? Preferred(string factor) => factors.Contains(factor) ? preferred == factor : null;
        Do(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = poolId, Username = username,
            SoftwareTokenMfaSettings = new() { Enabled = On(Mfa.SoftwareToken), PreferredMfa = Preferred(Mfa.SoftwareToken) },
            SMSMfaSettings = new() { Enabled = On(Mfa.Sms), PreferredMfa = Preferred(Mfa.Sms) },
            EmailMfaSettings = new() { Enabled = On(Mfa.Email), PreferredMfa = Preferred(Mfa.Email) },
        });
    }

    public void SetPoolMfa(SetUserPoolMfaConfigRequest config) => Do(config);

    public IReadOnlyList<string> MfaOf(string poolId, string username) =>
        Do(new AdminGetUserRequest { UserPoolId = poolId, Username = username }).UserMFASettingList ?? [];

    public void AddGroup(string poolId, string group, string? description = null, int? precedence = null) =>
        Do(new CreateGroupRequest { UserPoolId = poolId, GroupName = group, Description = description, Precedence = precedence });

    public void AddToGroup(string poolId, string username, string group) =>
        Do(new AdminAddUserToGroupRequest { UserPoolId = poolId, Username = username, GroupName = group });

    public string AddClient(string poolId, string name, bool secret = false) =>
        Do(new CreateUserPoolClientRequest { UserPoolId = poolId, ClientName = name, GenerateSecret = secret }).UserPoolClient!.ClientId!;

    public bool HasUser(string poolId, string username)
    {
        try
        {
            Do(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
            return true;
        }
        catch (UserNotFoundException)
        {
            return false;
        }
    }

    public bool IsEnabled(string poolId, string username) => Do(new AdminGetUserRequest { UserPoolId = poolId, Username = username }).Enabled != false;

    public string? Attribute(string poolId, string username, string name) =>
        Do(new AdminGetUserRequest { UserPoolId = poolId, Username = username }).UserAttributes?.FirstOrDefault(a => a.Name == name)?.Value;

    public IReadOnlyList<string> GroupsOf(string poolId, string username) =>
        (Do(new AdminListGroupsForUserRequest { UserPoolId = poolId, Username = username, Limit = 60 }).Groups ?? []).Select(g => g.GroupName!).ToList();

    public UserPoolType PoolSettings(string poolId) => Do(new DescribeUserPoolRequest { UserPoolId = poolId }).UserPool!;

    public bool HasPool(string poolId)
    {
        try
        {
            Do(new DescribeUserPoolRequest { UserPoolId = poolId });
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }
}
