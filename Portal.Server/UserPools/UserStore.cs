using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>Users of a pool: lookup by username or sign-in alias, and their attributes (document + indexed columns).</summary>
public sealed class UserStore(PortalDb db)
{
    public static string Key(UserPoolRow pool, string username) =>
        pool.UsernameCaseSensitive ? username : username.ToLowerInvariant();

    public async Task<UserRow> Get(UserPoolStore.Pool pool, string? username, CancellationToken ct) =>
        await Find(pool, username, ct) ?? throw new UserNotFoundException("User does not exist.");

    /// <summary>By username, then by the pool's username attributes or verified aliases (email, phone_number, preferred_username).</summary>
    public async Task<UserRow?> Find(UserPoolStore.Pool pool, string? username, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(username)) return null;
        var key = Key(pool.Row, username);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == pool.Row.Id && u.UsernameKey == key, ct);
        if (user is not null) return user;
        var signInAttributes = (pool.Settings.UsernameAttributes ?? []).Concat(pool.Settings.AliasAttributes ?? []).ToHashSet();
        if (signInAttributes.Contains("email") && username.Contains('@'))
        {
            var isUsernameAttribute = pool.Settings.UsernameAttributes?.Contains("email") == true;
            user = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == pool.Row.Id && u.Email == username
                                                          && (isUsernameAttribute || u.EmailVerified), ct);
            if (user is null && !pool.Row.UsernameCaseSensitive)
            {
                var lower = username.ToLowerInvariant();
                user = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == pool.Row.Id && u.Email == lower
                                                              && (isUsernameAttribute || u.EmailVerified), ct);
            }
            if (user is not null) return user;
        }
        if (signInAttributes.Contains("phone_number") && username.StartsWith('+'))
        {
            var isUsernameAttribute = pool.Settings.UsernameAttributes?.Contains("phone_number") == true;
            user = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == pool.Row.Id && u.PhoneNumber == username
                                                          && (isUsernameAttribute || u.PhoneNumberVerified), ct);
            if (user is not null) return user;
        }
        if (signInAttributes.Contains("preferred_username"))
            user = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == pool.Row.Id && u.PreferredUsername == username, ct);
        return user;
    }

    public static Dictionary<string, string> Attributes(UserRow user) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(user.Attributes) ?? [];

    /// <summary>Writes attributes into the document and the searchable columns; a null or empty value deletes.</summary>
    public static void SetAttributes(UserRow user, IEnumerable<KeyValuePair<string, string?>> changes)
    {
        var attributes = Attributes(user);
        foreach (var (name, value) in changes)
        {
            if (string.IsNullOrEmpty(value)) attributes.Remove(name);
            else attributes[name] = value;
        }
        attributes["sub"] = user.Sub;
        user.Attributes = JsonSerializer.Serialize(attributes);
        user.Email = attributes.GetValueOrDefault("email");
        user.EmailVerified = attributes.GetValueOrDefault("email_verified") == "true";
        user.PhoneNumber = attributes.GetValueOrDefault("phone_number");
        user.PhoneNumberVerified = attributes.GetValueOrDefault("phone_number_verified") == "true";
        user.Name = attributes.GetValueOrDefault("name");
        user.GivenName = attributes.GetValueOrDefault("given_name");
        user.FamilyName = attributes.GetValueOrDefault("family_name");
        user.PreferredUsername = attributes.GetValueOrDefault("preferred_username");
    }

    public static List<AttributeType> AttributeList(UserRow user, IReadOnlyCollection<string>? only = null) =>
        Attributes(user)
            .Where(a => only is null || only.Contains(a.Key))
            .Select(a => new AttributeType { Name = a.Key, Value = a.Value })
            .ToList();

    public static UserType ToUserType(UserRow user, IReadOnlyCollection<string>? attributesToGet = null) => new()
    {
        Username = user.Username,
        Attributes = AttributeList(user, attributesToGet),
        UserCreateDate = user.CreatedAt,
        UserLastModifiedDate = user.LastModifiedAt,
        Enabled = user.Enabled,
        UserStatus = user.Status,
    };
}
