namespace Portal.Server.ThreatProtection;

/// <summary>What adaptive authentication found about a sign-in, carried in an MFA step's session so the event recorded
/// when the sign-in completes says it.</summary>
public sealed record RiskSnapshot(string? RiskLevel, string RiskDecision, List<string> Reasons, string? DeviceKey, string? Network,
    string? DeviceLabel, string? Notify);

/// <summary>What threat protection decided during one operation, stamped on the auth events the operation records
/// (<see cref="Auth.AuthEvents"/>): the EventRisk Cognito returns, and the reasons in words, which Cognito does not give.
/// Adaptive authentication's reasons are "code: sentence" (<see cref="RiskReason"/>); compromised credentials' are
/// sentences.</summary>
public sealed class RiskRecord
{
    readonly List<string> reasons = [];

    public bool CompromisedCredentialsDetected { get; private set; }

    /// <summary>NoRisk, AccountTakeover or Block (Cognito's RiskDecision).</summary>
    public string RiskDecision { get; private set; } = "NoRisk";

    /// <summary>Low, Medium, High; null until a risk level is assessed.</summary>
    public string? RiskLevel { get; set; }

    public IReadOnlyList<string> Reasons => reasons;

    /// <summary>The device this request comes from (<see cref="DeviceContext"/>), when the caller said or the request shows.</summary>
    public DeviceContext? Device
    {
        get => device ??= deviceFrom?.Invoke();
        set => (device, deviceFrom) = (value, null);
    }

    DeviceContext? device;
    Func<DeviceContext>? deviceFrom;

    /// <summary>The device as the request's context data tells it, worked out when first read: a sign-in in a pool without
    /// adaptive authentication never decodes it.</summary>
    public void DeviceFrom(Func<DeviceContext> from) => (device, deviceFrom) = (null, from);

    /// <summary>The device key and network stamped on the events (set by the assessment).</summary>
    public string? DeviceKey { get; set; }
    public string? Network { get; set; }

    /// <summary>Which notification the sign-in's event gets (BLOCK, MFA, NO_ACTION template), null for none.</summary>
    public string? Notify { get; set; }

    /// <summary>The sign-in event this operation recorded last (for the notification's links).</summary>
    public Storage.AuthEventRow? SignInEvent { get; set; }

    public void CompromisedCredentials(string reason, bool blocked)
    {
        CompromisedCredentialsDetected = true;
        reasons.Add(reason);
        if (blocked) RiskDecision = "Block";
    }

    public void Reason(string reason) => reasons.Add(reason);

    /// <summary>An adaptive-authentication reason: a short machine code and a plain sentence.</summary>
    public void Reason(string code, string sentence) => reasons.Add(RiskReason.Format(code, sentence));

    /// <summary>The assessed decision (a compromised-credentials block stays a block).</summary>
    public void Decide(string decision)
    {
        if (RiskDecision != "Block") RiskDecision = decision;
    }

    public RiskSnapshot Snapshot() => new(RiskLevel, RiskDecision, [.. reasons], DeviceKey, Network, Device?.Label, Notify);

    /// <summary>Back in a later step of the same sign-in (after MFA): what the first step found.</summary>
    public void Restore(RiskSnapshot? snapshot)
    {
        if (snapshot is null) return;
        RiskLevel = snapshot.RiskLevel;
        Decide(snapshot.RiskDecision);
        foreach (var r in snapshot.Reasons)
            if (!reasons.Contains(r)) reasons.Add(r);
        DeviceKey = snapshot.DeviceKey;
        Network = snapshot.Network;
        Notify = snapshot.Notify;
        Device ??= snapshot.DeviceLabel is null ? null : new DeviceContext(null, snapshot.DeviceLabel, false);
    }
}

/// <summary>An adaptive-authentication reason as stored in an event's reasons: "code: sentence".</summary>
public static class RiskReason
{
    public const string NewDevice = "new-device";
    public const string NewNetwork = "new-network";
    public const string CredentialStuffing = "credential-stuffing";
    public const string RecentFailures = "recent-failures";
    public const string BlockedRange = "blocked-range";
    public const string SkippedRange = "skipped-range";
    public const string FeedbackInvalid = "feedback-invalid";
    public const string FeedbackValid = "feedback-valid";
    public const string ContextDataUnreadable = "context-data-unreadable";
    public const string NoMfaFactor = "no-mfa-factor";
    public const string MfaNotAsked = "mfa-not-asked";

    static readonly System.Buffers.SearchValues<char> CodeCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz-");

    public static string Format(string code, string sentence) => $"{code}: {sentence}";

    /// <summary>The code and sentence of a stored reason; reasons without a code (compromised credentials) answer
    /// "compromised-credentials".</summary>
    public static (string Code, string Sentence) Parse(string reason)
    {
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && colon <= 32 && reason.AsSpan(0, colon).IndexOfAnyExcept(CodeCharacters) < 0)
            return (reason[..colon], reason[(colon + 2)..]);
        return ("compromised-credentials", reason);
    }
}
