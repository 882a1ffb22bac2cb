using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>
/// The devices Cognito tracks for a pool with a DeviceConfiguration: a sign-in on a device the pool does not know ends with
/// NewDeviceMetadata (a device key and the user's device group key); ConfirmDevice stores the device's SRP verifier;
/// a remembered device answers DEVICE_SRP_AUTH and, when the pool says so (ChallengeRequiredOnNewDevice), skips MFA.
/// The refresh tokens of a sign-in belong to its device: they refresh only with its DEVICE_KEY and die when it is forgotten.
/// </summary>
public sealed class Devices(PortalDb db, AuthEvents events, TokenRevocation revocation, TimeProvider clock)
{
    public const string NotFoundMessage = "Device does not exist.";
    public const string Remembered = "remembered";
    public const string NotRemembered = "not_remembered";

    public static ResourceNotFoundException NotFound() => new(NotFoundMessage);

    /// <summary>The pool tracks devices (any DeviceConfiguration; the console's "Don't remember" has none).</summary>
    public static bool Tracked(UserPoolStore.Pool pool) => pool.Settings.DeviceConfiguration is not null;

    /// <summary>A remembered device signs in with device SRP instead of MFA.</summary>
    public static bool SkipsMfa(UserPoolStore.Pool pool) => pool.Settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice == true;

    /// <summary>Devices are remembered only when the user says so (UpdateDeviceStatus); otherwise always, once confirmed.</summary>
    public static bool OnlyOnPrompt(UserPoolStore.Pool pool) => pool.Settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt == true;

    /// <summary>A device of this user, confirmed or not; null when the key names none.</summary>
    public Task<DeviceRow?> Find(string userPoolId, string sub, string? deviceKey, CancellationToken ct) =>
        string.IsNullOrEmpty(deviceKey)
            ? Task.FromResult<DeviceRow?>(null)
            : db.Devices.FirstOrDefaultAsync(d => d.DeviceKey == deviceKey && d.UserSub == sub && d.UserPoolId == userPoolId, ct);

    /// <summary>A device of this user, or Cognito's "Device does not exist.".</summary>
    public async Task<DeviceRow> Get(string userPoolId, string sub, string? deviceKey, CancellationToken ct) =>
        await Find(userPoolId, sub, deviceKey, ct) ?? throw NotFound();

    /// <summary>Whether a key names a device of the pool at all (a client answering with a forgotten device's key is told
    /// so, and signs in again without it, as amazon-cognito-identity-js and Amplify do).</summary>
    public Task<bool> Exists(string userPoolId, string deviceKey, CancellationToken ct) =>
        db.Devices.AnyAsync(d => d.DeviceKey == deviceKey && d.UserPoolId == userPoolId, ct);

    /// <summary>The confirmed, remembered device a sign-in names: the one that may answer DEVICE_SRP_AUTH.</summary>
    public async Task<DeviceRow?> RememberedDevice(SignInContext ctx, UserRow user, CancellationToken ct)
    {
        if (!Tracked(ctx.Pool) || ctx.DeviceKey is null) return null;
        var device = await Find(ctx.Pool.Row.Id, user.Sub, ctx.DeviceKey, ct);
        // A browser the hosted UI remembered answers only there; a device with an SRP verifier only through the API.
        return device is { SecretVerifier: { } v, Remembered: true } && v.StartsWith(BrowserPrefix, StringComparison.Ordinal) == ctx.Hosted ? device : null;
    }

    const string BrowserPrefix = "browser:";

    /// <summary>The hosted UI's cookie secret matches the browser device's.</summary>
    public bool BrowserProven(DeviceRow device, string? secret) =>
        secret is not null && device.SecretVerifier is { } v && v.StartsWith(BrowserPrefix, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(v), System.Text.Encoding.ASCII.GetBytes(BrowserPrefix + Tokens.Hash(secret)));

    /// <summary>The hosted UI's sign-in passed MFA on a pool that tracks devices, and the user chose to be remembered (or the
    /// pool always remembers): the browser becomes a remembered device; its cookie value ("key.secret") is returned.</summary>
    public async Task<string?> RememberBrowser(SignInContext ctx, UserRow user, bool mfaPassed, CancellationToken ct)
    {
        if (!Tracked(ctx.Pool) || !mfaPassed || ctx.DeviceProven || (OnlyOnPrompt(ctx.Pool) && !ctx.RememberBrowser)) return null;
        var (device, _) = await Seen(ctx with { DeviceKey = null }, user, ct);
        var secret = Jwt.Base64Url(RandomNumberGenerator.GetBytes(32));
        device.SecretVerifier = BrowserPrefix + Tokens.Hash(secret);
        device.DeviceName = events.Device().Label ?? "Browser";
        device.Remembered = true;
        return $"{device.DeviceKey}.{secret}";
    }

    /// <summary>The tokens of a sign-in on a pool that tracks devices: the device it was on (seen now, from this address), or
    /// a new one the client confirms with the NewDeviceMetadata; the refresh token belongs to the device.</summary>
    public async Task<AuthenticationResultType> Attach(SignInContext ctx, UserRow user, AuthenticationResultType result, CancellationToken ct)
    {
        if (!Tracked(ctx.Pool)) return result;
        var (device, fresh) = await Seen(ctx, user, ct);
        if (result.RefreshToken is { } token && db.RefreshTokens.Local.FirstOrDefault(r => r.TokenHash == Tokens.Hash(token)) is { } row)
            row.DeviceKey = device.DeviceKey;
        return fresh ? result with { NewDeviceMetadata = new() { DeviceKey = device.DeviceKey, DeviceGroupKey = device.DeviceGroupKey } } : result;
    }

    /// <summary>How long a device a sign-in created waits for ConfirmDevice before it is deleted.</summary>
    public static readonly TimeSpan UnconfirmedLifetime = TimeSpan.FromDays(1);

    /// <summary>The device a sign-in was on, marked as seen now; a new (unconfirmed) one when the sign-in named none of the user's.</summary>
    public async Task<(DeviceRow Device, bool Fresh)> Seen(SignInContext ctx, UserRow user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Every sign-in of a client that never calls ConfirmDevice leaves a device row: the user's older than a day go now,
        // in one delete by the (UserSub, CreatedAt) index that any instance may run at the same time.
        var cutoff = now - UnconfirmedLifetime;
        await db.Devices.Where(d => d.UserSub == user.Sub && d.CreatedAt < cutoff && d.SecretVerifier == null).ExecuteDeleteAsync(ct);
        var device = await Find(ctx.Pool.Row.Id, user.Sub, ctx.DeviceKey, ct);
        var fresh = device is null;
        if (device is null)
        {
            // One group per user: every device of the user hashes the same group key into its verifier.
            var group = await db.Devices.Where(d => d.UserSub == user.Sub).Select(d => d.DeviceGroupKey).FirstOrDefaultAsync(ct) ?? NewGroupKey();
            device = new DeviceRow
            {
                DeviceKey = $"{Ids.RegionOf(ctx.Pool.Row.Id)}_{Guid.NewGuid()}", UserPoolId = ctx.Pool.Row.Id, UserSub = user.Sub,
                DeviceGroupKey = group, CreatedAt = now, LastModifiedAt = now,
            };
            db.Devices.Add(device);
        }
        device.LastAuthenticatedAt = now;
        device.LastIp = events.IpAddress;
        return (device, fresh);
    }

    /// <summary>ConfirmDevice: the device's SRP verifier (salt and verifier, base64 of the client's padded hex) and name.</summary>
    public ConfirmDeviceResponse Confirm(UserPoolStore.Pool pool, DeviceRow device, DeviceSecretVerifierConfigType? config, string? name)
    {
        if (device.SecretVerifier is not null) throw new DeviceKeyExistsException("Device key already exists.");
        if (!TryHex(config?.Salt, out var salt) || !TryHex(config?.PasswordVerifier, out var verifier))
            throw new InvalidParameterException("Invalid device secret verifier config.");
        device.SecretVerifier = $"{salt}:{verifier}";
        device.DeviceName = name;
        device.Remembered = !OnlyOnPrompt(pool);
        device.LastModifiedAt = clock.GetUtcNow();
        // With "user opt-in" the app asks the user and calls UpdateDeviceStatus; otherwise the device is remembered now.
        return new ConfirmDeviceResponse { UserConfirmationNecessary = OnlyOnPrompt(pool) };
    }

    /// <summary>UpdateDeviceStatus: remembered or not.</summary>
    public void SetStatus(DeviceRow device, string? status)
    {
        device.Remembered = status == Remembered;
        device.LastModifiedAt = clock.GetUtcNow();
    }

    /// <summary>ForgetDevice: the device is gone, and so is every token its sign-ins hold.</summary>
    public async Task Forget(DeviceRow device, CancellationToken ct)
    {
        var families = await db.RefreshTokens.Where(r => r.UserSub == device.UserSub && r.DeviceKey == device.DeviceKey).Select(r => r.OriginJti).Distinct().ToListAsync(ct);
        foreach (var family in families) await revocation.RevokeFamily(family, ct);
        db.Devices.Remove(device);
    }

    /// <summary>A refresh with a token that belongs to a device: only with that device's DEVICE_KEY, while it stands confirmed.</summary>
    public async Task CheckRefresh(RefreshTokenRow row, string? deviceKey, CancellationToken ct)
    {
        if (row.DeviceKey is null) return;
        var confirmed = deviceKey == row.DeviceKey
                        && await db.Devices.AnyAsync(d => d.DeviceKey == row.DeviceKey && d.UserSub == row.UserSub && d.SecretVerifier != null, ct);
        if (!confirmed) throw new NotAuthorizedException("Invalid Refresh Token");
    }

    /// <summary>A user's confirmed devices, newest first, a page at a time.</summary>
    public async Task<(List<DeviceType> Devices, string? Next)> List(string userPoolId, string sub, int? limit, string? token, string scope,
        CancellationToken ct)
    {
        var size = limit is null or 0 ? 60 : limit.Value;
        var query = db.Devices.AsNoTracking().Where(d => d.UserSub == sub && d.UserPoolId == userPoolId && d.SecretVerifier != null);
        if (PaginationToken.Read(token, scope, 1) is [var last]) query = query.Where(d => string.Compare(d.DeviceKey, last) > 0);
        var rows = await query.OrderBy(d => d.DeviceKey).Take(size + 1).ToListAsync(ct);
        var more = rows.Count > size;
        if (more) rows.RemoveAt(size);
        return (rows.Select(ToDeviceType).ToList(), more ? PaginationToken.Create(scope, rows[^1].DeviceKey) : null);
    }

    /// <summary>A device as Cognito describes it: its attributes (status, name, remembered status, last address) and dates.</summary>
    public static DeviceType ToDeviceType(DeviceRow d)
    {
        var attributes = new List<AttributeType> { new() { Name = "device_status", Value = "valid" } };
        if (d.DeviceName is not null) attributes.Add(new() { Name = "device_name", Value = d.DeviceName });
        attributes.Add(new() { Name = "dev:device_remembered_status", Value = d.Remembered ? Remembered : NotRemembered });
        if (d.LastIp is not null) attributes.Add(new() { Name = "last_ip", Value = d.LastIp });
        return new DeviceType
        {
            DeviceKey = d.DeviceKey, DeviceAttributes = attributes, DeviceCreateDate = d.CreatedAt, DeviceLastModifiedDate = d.LastModifiedAt,
            DeviceLastAuthenticatedDate = d.LastAuthenticatedAt,
        };
    }

    static string NewGroupKey()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "-" + RandomNumberGenerator.GetString(alphabet, 9);
    }

    static bool TryHex(string? base64, out string hex)
    {
        hex = "";
        if (string.IsNullOrEmpty(base64)) return false;
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written == 0) return false;
        hex = Convert.ToHexStringLower(bytes.AsSpan(0, written));
        return true;
    }
}
