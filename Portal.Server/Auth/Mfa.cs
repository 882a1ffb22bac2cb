using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>The MFA factors a pool offers (SetUserPoolMfaConfig) and whether MFA is OFF, OPTIONAL or ON.</summary>
public sealed record PoolMfa(string Mode, bool Sms, bool SoftwareToken, bool Email, EmailMfaConfigType? EmailMessage)
{
    public bool Off => Mode is not ("ON" or "OPTIONAL");
    public bool Required => Mode == "ON";

    public bool Offers(string factor) => factor switch
    {
        Mfa.Sms => Sms,
        Mfa.SoftwareToken => SoftwareToken,
        Mfa.Email => Email,
        _ => false,
    };
}

/// <summary>A user's MFA settings, kept in <see cref="UserRow.Mfa"/> under the contract's names. The TOTP secrets are
/// protected with Data Protection: a database dump does not give away anyone's authenticator.</summary>
public sealed class UserMfaSettings
{
    public List<string> UserMFASettingList { get; set; } = [];
    public string? PreferredMfaSetting { get; set; }
    /// <summary>The verified authenticator's secret (protected).</summary>
    public string? SoftwareTokenSecret { get; set; }
    public string? SoftwareTokenDeviceName { get; set; }
    /// <summary>The last 30-second step a code was accepted for: a code is good once.</summary>
    public long? SoftwareTokenLastStep { get; set; }
    /// <summary>A secret handed out by AssociateSoftwareToken and not verified yet (protected).</summary>
    public string? PendingSoftwareTokenSecret { get; set; }
    /// <summary>Passkey MFA (WebAuthnMfaSettings): the user's passkey sign-in requires user verification.</summary>
    public bool WebAuthnMfa { get; set; }
}

/// <summary>
/// Multi-factor authentication as Cognito has it: the pool's factors (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP), each user's
/// activated factors and preference, TOTP authenticators (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, one step of
/// clock drift either way), and the choice of the challenge that follows a proven password.
/// </summary>
public sealed class Mfa(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Sms = "SMS_MFA";
    public const string SoftwareToken = "SOFTWARE_TOKEN_MFA";
    public const string Email = "EMAIL_OTP";
    public static readonly string[] Factors = [SoftwareToken, Sms, Email];

    /// <summary>How long an MFA code sent by SMS or email is good for, as Cognito's: three minutes.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(3);

    IDataProtector Protector => protection.CreateProtector("Portal.Mfa.SoftwareToken");

    // ---- the pool ----

    /// <summary>The pool's MFA factors. SMS MFA is on when SetUserPoolMfaConfig turned it on, or, for a pool it never
    /// configured, when the pool has an SMS configuration (as CreateUserPool with MfaConfiguration sets it up).</summary>
    public static PoolMfa Of(UserPoolStore.Pool pool)
    {
        var extras = UserPoolStore.Extras(pool.Row);
        var sms = extras["SmsMfaEnabled"] is JsonValue v && v.TryGetValue<bool>(out var on) ? on : pool.Settings.SmsConfiguration is not null;
        var totp = extras["SoftwareTokenMfaConfiguration"]?["Enabled"] is JsonValue t && t.TryGetValue<bool>(out var tt) && tt;
        var email = extras["EmailMfaConfiguration"] is JsonObject e ? e.Deserialize<EmailMfaConfigType>(CognitoJson.Options) : null;
        return new PoolMfa(pool.Settings.MfaConfiguration ?? "OFF", sms, totp, email is not null, email);
    }

    // ---- the user ----

    public static UserMfaSettings Read(UserRow user)
    {
        try
        {
            return JsonSerializer.Deserialize<UserMfaSettings>(string.IsNullOrEmpty(user.Mfa) ? "{}" : user.Mfa) ?? new();
        }
        catch (JsonException)
        {
            return new();
        }
    }

    public static void Write(UserRow user, UserMfaSettings settings)
    {
        settings.UserMFASettingList = Factors.Where(settings.UserMFASettingList.Contains).ToList();
        if (settings.PreferredMfaSetting is { } p && !settings.UserMFASettingList.Contains(p)) settings.PreferredMfaSetting = null;
        user.Mfa = JsonSerializer.Serialize(settings);
    }

    /// <summary>The factors this user has activated that the pool offers and that have somewhere to go.</summary>
    public static List<string> Usable(PoolMfa pool, UserRow user)
    {
        var settings = Read(user);
        var attributes = UserStore.Attributes(user);
        return settings.UserMFASettingList.Where(f => pool.Offers(f) && f switch
        {
            Sms => !string.IsNullOrEmpty(attributes.GetValueOrDefault("phone_number")),
            Email => !string.IsNullOrEmpty(attributes.GetValueOrDefault("email")),
            SoftwareToken => settings.SoftwareTokenSecret is not null,
            _ => false,
        }).ToList();
    }

    /// <summary>What follows a proven password.</summary>
    public abstract record Step;
    public sealed record NoMfa : Step;
    public sealed record Challenge(string Factor) : Step;
    public sealed record Select(List<string> Factors) : Step;
    public sealed record Setup(List<string> Factors) : Step;

    /// <summary>
    /// The MFA step for this user: the preferred (or only) usable factor; a choice (SELECT_MFA_TYPE) among several with no
    /// preference; and, when the pool requires MFA of a user with no factor, SMS or email to the address the user has, or
    /// else the setup of an authenticator (MFA_SETUP).
    /// </summary>
    public static Step Decide(PoolMfa pool, UserRow user)
    {
        if (pool.Off) return new NoMfa();
        var usable = Usable(pool, user);
        var preferred = Read(user).PreferredMfaSetting;
        if (preferred is not null && usable.Contains(preferred)) return new Challenge(preferred);
        if (usable.Count == 1) return new Challenge(usable[0]);
        if (usable.Count > 1) return new Select(usable);
        if (!pool.Required) return new NoMfa();
        var attributes = UserStore.Attributes(user);
        if (pool.Sms && !string.IsNullOrEmpty(attributes.GetValueOrDefault("phone_number"))) return new Challenge(Sms);
        if (pool.Email && !string.IsNullOrEmpty(attributes.GetValueOrDefault("email"))) return new Challenge(Email);
        List<string> setup = pool.SoftwareToken ? [SoftwareToken] : [];
        return new Setup(setup);
    }

    /// <summary>
    /// Applies Set/AdminSetUserMFAPreference: each factor named is activated or not, and preferred or not. A factor the
    /// pool does not offer, or one the user has nowhere to receive (no phone number, no email, no verified
    /// authenticator), cannot be activated.
    /// </summary>
    public static void SetPreference(PoolMfa pool, UserRow user, SMSMfaSettingsType? sms, SoftwareTokenMfaSettingsType? totp, EmailMfaSettingsType? email)
    {
        var settings = Read(user);
        var attributes = UserStore.Attributes(user);
        void Apply(string factor, bool? enabled, bool? preferred)
        {
            if (enabled is null && preferred is null) return;
            var on = enabled ?? settings.UserMFASettingList.Contains(factor) || preferred == true;
            if (on)
            {
                if (!pool.Offers(factor))
                    throw new InvalidParameterException(factor switch
                    {
                        Sms => "SMS MFA is not enabled for the user pool.",
                        Email => "Email MFA is not enabled for the user pool.",
                        _ => "Software token MFA is not enabled for the user pool.",
                    });
                if (factor == Sms && string.IsNullOrEmpty(attributes.GetValueOrDefault("phone_number")))
                    throw new InvalidParameterException("User does not have delivery config set to turn on SMS_MFA");
                if (factor == Email && string.IsNullOrEmpty(attributes.GetValueOrDefault("email")))
                    throw new InvalidParameterException("User does not have delivery config set to turn on EMAIL_OTP");
                if (factor == SoftwareToken && settings.SoftwareTokenSecret is null)
                    throw new InvalidParameterException("User has not verified software token mfa");
                if (!settings.UserMFASettingList.Contains(factor)) settings.UserMFASettingList.Add(factor);
            }
            else settings.UserMFASettingList.Remove(factor);
            if (preferred == true && on) settings.PreferredMfaSetting = factor;
            else if (settings.PreferredMfaSetting == factor && (preferred == false || !on)) settings.PreferredMfaSetting = null;
        }
        Apply(Sms, sms?.Enabled, sms?.PreferredMfa);
        Apply(SoftwareToken, totp?.Enabled, totp?.PreferredMfa);
        Apply(Email, email?.Enabled, email?.PreferredMfa);
        Write(user, settings);
    }

    // ---- TOTP ----

    /// <summary>A new authenticator secret: 32 random bytes, base32 as authenticator apps take it; returned as given to
    /// the user and as stored (protected).</summary>
    public (string SecretCode, string Protected) NewSecret()
    {
        var secret = Base32(RandomNumberGenerator.GetBytes(32));
        return (secret, Protector.Protect(secret));
    }

    public string Unprotect(string protectedSecret) => Protector.Unprotect(protectedSecret);

    /// <summary>The 30-second step the code matches (now, or one step either side), or null.</summary>
    public long? Match(string protectedSecret, string? code, long? lastUsedStep = null)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit)) return null;
        var key = FromBase32(Unprotect(protectedSecret));
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 30;
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (lastUsedStep is { } last && step <= last) continue;
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Totp(key, step)), System.Text.Encoding.ASCII.GetBytes(code)))
                return step;
        }
        return null;
    }

    /// <summary>A proven secret becomes the user's authenticator (VerifySoftwareToken, MFA_SETUP, the hosted setup page):
    /// the code just used is remembered, so it is not good again.</summary>
    public static void Register(UserRow user, string protectedSecret, long step, string? deviceName)
    {
        var settings = Read(user);
        settings.SoftwareTokenSecret = protectedSecret;
        settings.PendingSoftwareTokenSecret = null;
        settings.SoftwareTokenLastStep = step;
        settings.SoftwareTokenDeviceName = string.IsNullOrWhiteSpace(deviceName) ? null : deviceName.Trim();
        Write(user, settings);
    }

    /// <summary>The user's authenticator code is right (and not one used before): the step is remembered.</summary>
    public bool VerifyUserCode(UserRow user, string? code)
    {
        var settings = Read(user);
        if (settings.SoftwareTokenSecret is null) return false;
        var step = Match(settings.SoftwareTokenSecret, code, settings.SoftwareTokenLastStep);
        if (step is null) return false;
        settings.SoftwareTokenLastStep = step;
        Write(user, settings);
        return true;
    }

    /// <summary>RFC 6238 / RFC 4226: HMAC-SHA1 of the step, dynamically truncated to 6 digits.</summary>
    public static string Totp(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 TOTP is HMAC-SHA1: it is what authenticator apps compute.
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Base32(byte[] data)
    {
        var sb = new System.Text.StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    public static byte[] FromBase32(string text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            var index = Alphabet.IndexOf(c);
            if (index < 0) continue;
            buffer = (buffer << 5) | index;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return bytes.ToArray();
    }
}
