using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>App clients: the row plus its settings document (a <see cref="UserPoolClientType"/>).</summary>
public sealed class AppClientStore(PortalDb db, PoolConfigCache cache)
{
    public sealed record Client(AppClientRow Row, UserPoolClientType Settings);

    public async Task<Client> Get(string? userPoolId, string? clientId, CancellationToken ct) =>
        await Find(clientId, ct) is { } c && c.Row.UserPoolId == userPoolId
            ? c
            : throw ResourceNotFoundException.AppClient(clientId);

    public async Task<Client?> Find(string? clientId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientId)) return null;
        var row = await db.AppClients.FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        return row is null ? null : new Client(row, Read(row));
    }

    /// <summary>The client for the hot path (sign-in, refresh, the token endpoint, self-service): an untracked snapshot
    /// shared by this instance's requests (<see cref="PoolConfigCache"/>); never change it (writers use <see cref="Get"/>).</summary>
    public async Task<Client?> FindCached(string? clientId, CancellationToken ct) =>
        string.IsNullOrEmpty(clientId) ? null : await cache.Clients.Get(clientId, async c =>
            await db.AppClients.AsNoTracking().FirstOrDefaultAsync(x => x.ClientId == clientId, c) is { } row ? new Client(row, Read(row)) : null, ct);

    /// <summary>As <see cref="FindCached"/>, in the named pool (or Cognito's not-found).</summary>
    public async Task<Client> Cached(string? userPoolId, string? clientId, CancellationToken ct) =>
        await FindCached(clientId, ct) is { } c && c.Row.UserPoolId == userPoolId
            ? c
            : throw ResourceNotFoundException.AppClient(clientId);

    public static UserPoolClientType Read(AppClientRow row) =>
        JsonSerializer.Deserialize<UserPoolClientType>(row.Settings, CognitoJson.Options) ?? new();

    public static void Write(AppClientRow row, UserPoolClientType settings) =>
        row.Settings = JsonSerializer.Serialize(settings with
        {
            UserPoolId = null,
            ClientId = null,
            ClientName = null,
            ClientSecret = null,
            CreationDate = null,
            LastModifiedDate = null,
        }, CognitoJson.Options);

    public static UserPoolClientType Describe(AppClientRow row) => Read(row) with
    {
        UserPoolId = row.UserPoolId,
        ClientId = row.ClientId,
        ClientName = row.ClientName,
        ClientSecret = row.ClientSecret,
        CreationDate = row.CreatedAt,
        LastModifiedDate = row.LastModifiedAt,
    };
}
