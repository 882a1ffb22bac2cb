using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>Reads and writes user pools: the row plus its settings document (a <see cref="UserPoolType"/>).</summary>
public sealed class UserPoolStore(PortalDb db, Ids ids)
{
    public sealed record Pool(UserPoolRow Row, UserPoolType Settings);

    public async Task<Pool> Get(string? userPoolId, CancellationToken ct) =>
        await Find(userPoolId, ct) ?? throw new ResourceNotFoundException($"User pool {userPoolId} does not exist.");

    public async Task<Pool?> Find(string? userPoolId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userPoolId)) return null;
        var row = await db.UserPools.FirstOrDefaultAsync(p => p.Id == userPoolId, ct);
        return row is null ? null : new Pool(row, Read(row));
    }

    public static UserPoolType Read(UserPoolRow row) =>
        JsonSerializer.Deserialize<UserPoolType>(row.Settings, CognitoJson.Options) ?? new UserPoolType();

    public static void Write(UserPoolRow row, UserPoolType settings) =>
        row.Settings = JsonSerializer.Serialize(settings with
        {
            // Facts kept in columns are not duplicated in the document.
            Id = null, Name = null, CreationDate = null, LastModifiedDate = null, EstimatedNumberOfUsers = null,
            Arn = null, Domain = null, UserPoolTags = null, DeletionProtection = null,
        }, CognitoJson.Options);

    /// <summary>The pool as DescribeUserPool answers it.</summary>
    public async Task<UserPoolType> Describe(UserPoolRow row, CancellationToken ct)
    {
        var settings = Read(row);
        var users = await db.Users.CountAsync(u => u.UserPoolId == row.Id, ct);
        var domain = await db.Domains.Where(d => d.UserPoolId == row.Id).Select(d => d.Domain).FirstOrDefaultAsync(ct);
        return settings with
        {
            Id = row.Id,
            Name = row.Name,
            Arn = ids.UserPoolArn(row.Id),
            CreationDate = row.CreatedAt,
            LastModifiedDate = row.LastModifiedAt,
            EstimatedNumberOfUsers = users,
            Domain = domain,
            DeletionProtection = row.DeletionProtection ? "ACTIVE" : "INACTIVE",
            UserPoolTags = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Tags),
        };
    }
}
