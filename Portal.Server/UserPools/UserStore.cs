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
        await Find(pool, username, ct) ?? throw UserNotFoundException.DoesNotExist();

    /// <summary>By username, then by the pool's username attributes or verified aliases (email, phone_number, preferred_username).</summary>
    public async Task<UserRow?> Find(UserPoolStore.Pool pool, string? username, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(username)) return null;
        var key = Key(pool.Row, username);
        var user = await HotQueries.For(db).UserByKey(db, pool.Row.Id, key, ct);
        if (user is not null) return user;
        // Cognito also takes the user's sub wherever it takes a username.
        if (Guid.TryParse(username, out _))
        {
            var sub = username.ToLowerInvariant();
            user = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == pool.Row.Id && u.Sub == sub, ct);
            if (user is not null) return user;
        }
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

    const string FederatedStatus = "EXTERNAL_PROVIDER";

    /// <summary>The pool's username attributes and alias attributes, from its stored settings.</summary>
    public static (IReadOnlyCollection<string> Username, IReadOnlyCollection<string> Aliases) SignInAttributes(string? poolSettings)
    {
        var settings = string.IsNullOrEmpty(poolSettings) ? null : JsonSerializer.Deserialize<UserPoolType>(poolSettings, CognitoJson.Options);
        return (settings?.UsernameAttributes ?? [], settings?.AliasAttributes ?? []);
    }

    /// <summary>The user's sign-in keys: the email (lower-cased) and phone number while they identify the user at sign-in,
    /// always as username attributes, once verified as aliases; the preferred_username (as given) while it is an alias;
    /// none for federated users. Unique per pool in the database.</summary>
    public static void SetSignInKeys(UserRow user, IReadOnlyCollection<string> usernameAttributes, IReadOnlyCollection<string> aliases)
    {
        // A federated user signs in through its provider and holds no alias: it may share a native user's email.
        if (user.Status == FederatedStatus)
        {
            (user.EmailKey, user.PhoneKey, user.PreferredUsernameKey) = (null, null, null);
            return;
        }
        user.EmailKey = user.Email is { Length: > 0 } email
                        && (usernameAttributes.Contains("email") || (aliases.Contains("email") && user.EmailVerified))
            ? email.ToLowerInvariant() : null;
        user.PhoneKey = user.PhoneNumber is { Length: > 0 } phone
                        && (usernameAttributes.Contains("phone_number") || (aliases.Contains("phone_number") && user.PhoneNumberVerified))
            ? phone : null;
        user.PreferredUsernameKey = user.PreferredUsername is { Length: > 0 } preferred && aliases.Contains("preferred_username") ? preferred : null;
    }

    /// <summary>Email and phone number must be unique when they are sign-in identifiers: always when they are
    /// username attributes, among verified values when they are aliases (ForceAliasCreation moves a verified alias
    /// to this user, unverifying it on the other). A preferred_username alias is unique outright.</summary>
    public async Task ClaimAliases(UserPoolStore.Pool pool, UserRow user, bool force, CancellationToken ct, bool creating = false)
    {
        var usernameAttributes = pool.Settings.UsernameAttributes ?? [];
        var aliases = pool.Settings.AliasAttributes ?? [];
        var poolId = user.UserPoolId;
        if (user.Email is { } email && (usernameAttributes.Contains("email") || aliases.Contains("email")))
        {
            var lower = email.ToLowerInvariant();
            var others = db.Users.Where(u => u.UserPoolId == poolId && u.Sub != user.Sub && (u.Email == email || u.Email == lower));
            if (usernameAttributes.Contains("email"))
            {
                if (await others.AnyAsync(ct)) throw Taken("email", creating);
            }
            else if (user.EmailVerified)
                Move(await others.Where(u => u.EmailVerified).ToListAsync(ct), "email", force);
        }
        if (user.PhoneNumber is { } phone && (usernameAttributes.Contains("phone_number") || aliases.Contains("phone_number")))
        {
            var others = db.Users.Where(u => u.UserPoolId == poolId && u.Sub != user.Sub && u.PhoneNumber == phone);
            if (usernameAttributes.Contains("phone_number"))
            {
                if (await others.AnyAsync(ct)) throw Taken("phone_number", creating);
            }
            else if (user.PhoneNumberVerified)
                Move(await others.Where(u => u.PhoneNumberVerified).ToListAsync(ct), "phone_number", force);
        }
        if (user.PreferredUsername is { } preferred && aliases.Contains("preferred_username")
            && await db.Users.AnyAsync(u => u.UserPoolId == poolId && u.Sub != user.Sub && u.PreferredUsername == preferred, ct))
            throw new AliasExistsException("An account with the given preferred_username already exists.");

        // A username attribute already held: a new user is refused as the username it would have (UsernameExistsException, as
        // when the other user's creation committed first), a changed one as an alias.
        static CognitoException Taken(string attribute, bool creating) => creating
            ? new UsernameExistsException($"An account with the given {attribute} already exists.")
            : new AliasExistsException($"An account with the given {attribute} already exists.");

        static void Move(List<UserRow> holders, string attribute, bool force)
        {
            if (holders.Count == 0) return;
            if (!force) throw AliasExistsException.For(attribute);
            foreach (var holder in holders) SetAttributes(holder, [new(attribute + "_verified", "false")]);
        }
    }

    /// <summary>The user's MFA settings, from the UserRow.Mfa document's <c>UserMFASettingList</c> and
    /// <c>PreferredMfaSetting</c> members (the contract's names).</summary>
    public static (List<string> Enabled, string? Preferred) Mfa(UserRow user)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrEmpty(user.Mfa) ? "{}" : user.Mfa);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return ([], null);
            List<string> enabled = [];
            string? preferred = null;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.NameEquals("UserMFASettingList") && p.Value.ValueKind == JsonValueKind.Array)
                    enabled.AddRange(p.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
                else if (p.NameEquals("PreferredMfaSetting") && p.Value.ValueKind == JsonValueKind.String)
                    preferred = p.Value.GetString();
            }
            return (enabled, preferred);
        }
        catch (JsonException)
        {
            return ([], null);
        }
    }

    /// <summary>The legacy MFAOptions: only SMS MFA, delivered to phone_number.</summary>
    public static List<MFAOptionType>? MfaOptions(UserRow user) =>
        Mfa(user).Enabled.Contains("SMS_MFA") ? [new MFAOptionType { DeliveryMedium = "SMS", AttributeName = "phone_number" }] : null;

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
        MFAOptions = MfaOptions(user),
    };
}
