namespace Portal.Server.ThreatProtection;

/// <summary>What threat protection decided during one operation, stamped on the auth events the operation records
/// (<see cref="Auth.AuthEvents"/>): the EventRisk Cognito returns, and the reasons in words, which Cognito does not give.
/// Adaptive authentication (risk levels from device, network and failure signals) is to add its reasons and level here.</summary>
public sealed class RiskRecord
{
    readonly List<string> reasons = [];

    public bool CompromisedCredentialsDetected { get; private set; }

    /// <summary>NoRisk, AccountTakeover or Block (Cognito's RiskDecision).</summary>
    public string RiskDecision { get; private set; } = "NoRisk";

    /// <summary>Low, Medium, High; null until a risk level is assessed.</summary>
    public string? RiskLevel { get; set; }

    public IReadOnlyList<string> Reasons => reasons;

    public void CompromisedCredentials(string reason, bool blocked)
    {
        CompromisedCredentialsDetected = true;
        reasons.Add(reason);
        if (blocked) RiskDecision = "Block";
    }

    public void Reason(string reason) => reasons.Add(reason);
}
