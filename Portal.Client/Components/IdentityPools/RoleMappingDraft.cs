using Portal.Client.Contract.IdentityPools;

namespace Portal.Client.Components.IdentityPools;

/// <summary>One provider's role mapping as the editor holds it: the default roles, the token's role, or ordered rules
/// (the first that matches wins), and what happens when the token names several roles or no rule matches.</summary>
public sealed class RoleMappingDraft
{
    public const string Default = "Default", Token = "Token", Rules = "Rules";
    public const int MaxRules = 25;
    public static readonly IReadOnlyList<(string Value, string Label)> MatchTypes =
        [("Equals", "equals"), ("Contains", "contains"), ("StartsWith", "starts with"), ("NotEqual", "is not")];

    public string Type { get; set; } = Default;
    public string AmbiguousRoleResolution { get; set; } = "AuthenticatedRole";
    public List<Rule> RuleList { get; set; } = [];

    public sealed class Rule
    {
        public string Claim { get; set; } = "";
        public string MatchType { get; set; } = "Equals";
        public string Value { get; set; } = "";
        public string? RoleArn { get; set; }
        /// <summary>What is wrong with the rule, shown on its row; null when it is fine.</summary>
        public string? Problem => Claim.Trim().Length is 0 or > 64 ? "A claim (1 to 64 characters) is required."
            : Value.Length is 0 or > 128 ? "A value (1 to 128 characters) is required."
            : string.IsNullOrEmpty(RoleArn) ? "Choose the role this rule gives." : null;
    }

    public static RoleMappingDraft From(RoleMapping? mapping) => mapping is null ? new() : new()
    {
        Type = mapping.Type == Token ? Token : mapping.Type == Rules ? Rules : Default,
        AmbiguousRoleResolution = mapping.AmbiguousRoleResolution ?? "AuthenticatedRole",
        RuleList = (mapping.RulesConfiguration?.Rules ?? []).Select(r => new Rule
        {
            Claim = r.Claim ?? "", MatchType = r.MatchType ?? "Equals", Value = r.Value ?? "", RoleArn = r.RoleARN,
        }).ToList(),
    };

    /// <summary>The mapping to send, or null for the default roles (no mapping for the provider).</summary>
    public RoleMapping? ToMapping() => Type switch
    {
        Token => new RoleMapping { Type = Token, AmbiguousRoleResolution = AmbiguousRoleResolution },
        Rules => new RoleMapping
        {
            Type = Rules, AmbiguousRoleResolution = AmbiguousRoleResolution,
            RulesConfiguration = new RulesConfigurationType
            {
                Rules = RuleList.Select(r => new MappingRule { Claim = r.Claim.Trim(), MatchType = r.MatchType, Value = r.Value, RoleARN = r.RoleArn }).ToList(),
            },
        },
        _ => null,
    };

    public string? Problem => Type == Rules && RuleList.Count == 0 ? "Add at least one rule, or choose another way to pick the role."
        : RuleList.Count > MaxRules ? $"At most {MaxRules} rules." : null;

    public void Move(int index, int by)
    {
        var to = index + by;
        if (index < 0 || index >= RuleList.Count || to < 0 || to >= RuleList.Count) return;
        (RuleList[index], RuleList[to]) = (RuleList[to], RuleList[index]);
    }
}
