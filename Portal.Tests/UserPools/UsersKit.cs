using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>What the user and group tests share: a signed client over the wire, a fresh pool per test, and a look
/// at the server's own store for what the API does not show (hashes, outbox, tokens).</summary>
public sealed class UsersKit(PortalServer server)
{
    public const string Password = "Passw0rd!x";

    public RemoteCognito Cognito { get; } = new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") },
        new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));

    public async Task<string> Pool(CreateUserPoolRequest? request = null)
    {
        request ??= new CreateUserPoolRequest();
        var created = await Cognito.Send(request with { PoolName = $"users-{Guid.NewGuid():n}"[..30] });
        return created.UserPool!.Id!;
    }

    public Task<AdminCreateUserResponse> User(string poolId, string username, params (string Name, string Value)[] attributes) =>
        Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, TemporaryPassword = Password, MessageAction = "SUPPRESS",
            UserAttributes = attributes.Select(a => new AttributeType { Name = a.Name, Value = a.Value }).ToList(),
        });

    public async Task<T> Db<T>(Func<PortalDb, Task<T>> read)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    public Task<List<OutboxMessageRow>> Outbox(string poolId) =>
        Db(db => db.Outbox.AsNoTracking().Where(m => m.UserPoolId == poolId).ToListAsync());

    public Task<UserRow> Row(string poolId, string username) =>
        Db(db => db.Users.AsNoTracking().SingleAsync(u => u.UserPoolId == poolId && u.UsernameKey == username.ToLowerInvariant()));

    public static Dictionary<string, string?> Attributes(IEnumerable<AttributeType>? attributes) =>
        (attributes ?? []).ToDictionary(a => a.Name!, a => a.Value);
}
