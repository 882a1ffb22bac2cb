using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>What a component test drives: the contract, the requests a page sent, hooks to make one request fail or
/// answer it as a test needs, and set-up and look-up helpers.</summary>
public interface ITestCognito : ICognito
{
    /// <summary>Makes the next matching requests fail: return an exception to throw, or null to answer normally.</summary>
    Func<object, CognitoException?>? Fail { get; set; }
    /// <summary>Answers a request in the test's stead: return the response, or null to let the engine answer.</summary>
    Func<object, object?>? Answer { get; set; }
    IReadOnlyList<object> Sent { get; }
    List<T> Requests<T>();

    string AddPool(string name, Func<UserPoolType, UserPoolType>? configure = null);
    void AddUser(string poolId, string username, params (string Name, string Value)[] attributes);
    void SetUser(string poolId, string username, bool? enabled = null, string? status = null);
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

/// <summary>The real engine for component tests: the dispatcher of one Portal started once for the whole test run on
/// its own temporary SQLite store, so a page meets the engine's own rules and errors and cannot drift from them.
/// Every test makes its own pool. Set-up and look-ups go to the engine directly; only the page's requests are recorded.</summary>
public sealed class EngineCognito : ITestCognito
{
    static readonly Lazy<PortalServer> Server = new(() =>
    {
        var server = new PortalServer();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    readonly Dispatcher engine = Server.Value.Services.GetRequiredService<Dispatcher>();
    readonly object gate = new();
    readonly List<object> sent = [];

    public Func<object, CognitoException?>? Fail { get; set; }
    public Func<object, object?>? Answer { get; set; }
    public IReadOnlyList<object> Sent { get { lock (gate) return sent.ToList(); } }
    public List<T> Requests<T>() => Sent.OfType<T>().ToList();

    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        lock (gate) sent.Add(request);
        if (Fail?.Invoke(request) is { } failure) throw failure;
        if (Answer?.Invoke(request) is { } answer) return (TResponse)answer;
        return await engine.Send(request, ct);
    }

    /// <summary>Sends for the test's set-up, off the test's synchronization context, unrecorded.</summary>
    TResponse Do<TResponse>(ICognitoRequest<TResponse> request) where TResponse : new() =>
        Task.Run(() => engine.Send(request)).GetAwaiter().GetResult();

    /// <summary>Sends a set-up or look-up request straight to the engine, unrecorded (for operations the helpers below
    /// do not cover, e.g. identity pools and IAM).</summary>
    public TResponse Direct<TResponse>(ICognitoRequest<TResponse> request) where TResponse : new() => Do(request);

    public const string Password = "Component-Test-Passw0rd!";

    /// <summary>A pool named <paramref name="name"/> plus a unique suffix (the engine is shared), changed by
    /// <paramref name="configure"/> through UpdateUserPool as an operator would.</summary>
    public string AddPool(string name, Func<UserPoolType, UserPoolType>? configure = null)
    {
        var id = Do(new CreateUserPoolRequest { PoolName = name }).UserPool!.Id!;
        if (configure is null) return id;
        var current = PoolSettings(id);
        var wanted = configure(current);
        Do(PoolUpdate.From(wanted));
        if (wanted.Domain is { } domain && domain != current.Domain) Do(new CreateUserPoolDomainRequest { UserPoolId = id, Domain = domain });
        return id;
    }

    /// <summary>A confirmed user with these attributes (no message sent).</summary>
    public void AddUser(string poolId, string username, params (string Name, string Value)[] attributes)
    {
        Do(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            UserAttributes = attributes.Select(a => new AttributeType { Name = a.Name, Value = a.Value }).ToList(),
        });
        Do(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = Password, Permanent = true });
    }

    public void SetUser(string poolId, string username, bool? enabled = null, string? status = null)
    {
        if (status is not null) throw new NotSupportedException("The engine sets a user's status through its flows, not directly.");
        if (enabled == true) Do(new AdminEnableUserRequest { UserPoolId = poolId, Username = username });
        if (enabled == false) Do(new AdminDisableUserRequest { UserPoolId = poolId, Username = username });
    }

    public void SetUserMfa(string poolId, string username, string[] factors, string? preferred = null) =>
        throw new NotSupportedException("A user's factors are set up through the engine's MFA flows.");

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
