using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Triggers;

/// <summary>A trigger function Portal runs itself (inline JavaScript or a webhook), stored as JSON in the Settings table.
/// The webhook secret is kept protected by ASP.NET Data Protection.</summary>
public sealed record StoredFunction(string Kind, string? Code, string? Url, string? ProtectedSecret, string? LambdaVersion, DateTimeOffset LastModified);

/// <summary>
/// The Portal-run functions of pools, and the Portal ARNs that name them in a pool's LambdaConfig
/// (<c>arn:aws:lambda:{region}:000000000000:function:portal-{poolId}-{Trigger}</c>).
/// </summary>
public sealed partial class TriggerFunctions(PortalDb db, IDataProtectionProvider protection)
{
    public const string PortalAccount = "000000000000";
    const string Prefix = "trigger-function/";

    readonly IDataProtector protector = protection.CreateProtector("Portal.Triggers.WebhookSecret");

    public static string Key(string poolId, string trigger) => PoolPrefix(poolId) + trigger;

    /// <summary>What the keys of all the pool's stored functions start with.</summary>
    public static string PoolPrefix(string poolId) => $"{Prefix}{poolId}/";

    /// <summary>The pool's region is the prefix of its id (us-east-1_XXXXXXXXX).</summary>
    public static string RegionOf(string poolId) => poolId.Split('_')[0];

    public static string PortalArn(string poolId, string trigger) =>
        $"arn:aws:lambda:{RegionOf(poolId)}:{PortalAccount}:function:portal-{poolId}-{trigger}";

    [GeneratedRegex(@"^arn:aws:lambda:[^:]*:000000000000:function:portal-(?<pool>[\w-]+_[0-9a-zA-Z]+)-(?<trigger>[A-Za-z]+)$")]
    private static partial Regex PortalArnPattern();

    /// <summary>Whether an ARN names a Portal-run function, and which.</summary>
    public static bool TryParsePortalArn(string? arn, out string poolId, out string trigger)
    {
        var m = PortalArnPattern().Match(arn ?? "");
        (poolId, trigger) = m.Success ? (m.Groups["pool"].Value, m.Groups["trigger"].Value) : ("", "");
        return m.Success;
    }

    public async Task<StoredFunction?> Find(string poolId, string trigger, CancellationToken ct)
    {
        var key = Key(poolId, trigger);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, ct);
        return row is null ? null : JsonSerializer.Deserialize<StoredFunction>(row.Value);
    }

    public async Task<List<(string Trigger, StoredFunction Function)>> List(string poolId, CancellationToken ct)
    {
        var prefix = PoolPrefix(poolId);
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(prefix)).ToListAsync(ct);
        return rows.Select(r => (r.Key[prefix.Length..], JsonSerializer.Deserialize<StoredFunction>(r.Value)!)).ToList();
    }

    /// <summary>Adds or replaces the stored function (saved with the caller's unit of work).</summary>
    public async Task Put(string poolId, string trigger, StoredFunction function, CancellationToken ct)
    {
        var key = Key(poolId, trigger);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct);
        var value = JsonSerializer.Serialize(function);
        if (row is null) db.Settings.Add(new SettingRow { Key = key, Value = value });
        else row.Value = value;
    }

    /// <summary>Removes the stored function, if any (saved with the caller's unit of work).</summary>
    public async Task Remove(string poolId, string trigger, CancellationToken ct)
    {
        var key = Key(poolId, trigger);
        if (await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct) is { } row) db.Settings.Remove(row);
    }

    public string Protect(string secret) => protector.Protect(secret);
    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    /// <summary>The ARN the pool's LambdaConfig names for a trigger (for PreTokenGeneration, the versioned config first),
    /// with the event version of pre token generation.</summary>
    public static (string? Arn, string Version) Configured(LambdaConfigType? config, string trigger) => trigger switch
    {
        _ when config is null => (null, "V1_0"),
        "PreSignUp" => (config.PreSignUp, "1"),
        "CustomMessage" => (config.CustomMessage, "1"),
        "PostConfirmation" => (config.PostConfirmation, "1"),
        "PreAuthentication" => (config.PreAuthentication, "1"),
        "PostAuthentication" => (config.PostAuthentication, "1"),
        "DefineAuthChallenge" => (config.DefineAuthChallenge, "1"),
        "CreateAuthChallenge" => (config.CreateAuthChallenge, "1"),
        "VerifyAuthChallengeResponse" => (config.VerifyAuthChallengeResponse, "1"),
        "UserMigration" => (config.UserMigration, "1"),
        "PreTokenGeneration" => config.PreTokenGenerationConfig is { LambdaArn: { Length: > 0 } arn } v
            ? (arn, v.LambdaVersion ?? "V1_0")
            : (config.PreTokenGeneration, "V1_0"),
        _ => (null, "1"),
    };

    /// <summary>The LambdaConfig with one trigger set (or cleared with null).</summary>
    public static LambdaConfigType With(LambdaConfigType? config, string trigger, string? arn, string? version)
    {
        config ??= new LambdaConfigType();
        return trigger switch
        {
            "PreSignUp" => config with { PreSignUp = arn },
            "CustomMessage" => config with { CustomMessage = arn },
            "PostConfirmation" => config with { PostConfirmation = arn },
            "PreAuthentication" => config with { PreAuthentication = arn },
            "PostAuthentication" => config with { PostAuthentication = arn },
            "DefineAuthChallenge" => config with { DefineAuthChallenge = arn },
            "CreateAuthChallenge" => config with { CreateAuthChallenge = arn },
            "VerifyAuthChallengeResponse" => config with { VerifyAuthChallengeResponse = arn },
            "UserMigration" => config with { UserMigration = arn },
            // Cognito keeps both members: the legacy one and the versioned config.
            "PreTokenGeneration" => config with
            {
                PreTokenGeneration = arn,
                PreTokenGenerationConfig = arn is null ? null : new PreTokenGenerationVersionConfigType { LambdaArn = arn, LambdaVersion = version ?? "V1_0" },
            },
            _ => throw InvalidParameterException.UnknownTrigger(trigger),
        };
    }

    public static void CheckName(string? trigger)
    {
        if (trigger is null || !TriggerNames.All.Contains(trigger))
            throw new InvalidParameterException($"Trigger must be one of: {string.Join(", ", TriggerNames.All)}.");
    }
}
