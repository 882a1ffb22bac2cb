// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

public sealed record SetRiskConfigurationRequest : ICognitoRequest<SetRiskConfigurationResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    public CompromisedCredentialsRiskConfigurationType? CompromisedCredentialsRiskConfiguration { get; init; }
    public AccountTakeoverRiskConfigurationType? AccountTakeoverRiskConfiguration { get; init; }
    public RiskExceptionConfigurationType? RiskExceptionConfiguration { get; init; }
}

public sealed record SetRiskConfigurationResponse
{
    public RiskConfigurationType? RiskConfiguration { get; init; }
}

public sealed record DescribeRiskConfigurationRequest : ICognitoRequest<DescribeRiskConfigurationResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
}

public sealed record DescribeRiskConfigurationResponse
{
    public RiskConfigurationType? RiskConfiguration { get; init; }
}

public sealed record RiskConfigurationType
{
    public string? UserPoolId { get; init; }
    public string? ClientId { get; init; }
    public CompromisedCredentialsRiskConfigurationType? CompromisedCredentialsRiskConfiguration { get; init; }
    public AccountTakeoverRiskConfigurationType? AccountTakeoverRiskConfiguration { get; init; }
    public RiskExceptionConfigurationType? RiskExceptionConfiguration { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

public sealed record CompromisedCredentialsRiskConfigurationType
{
    /// <summary>SIGN_IN, PASSWORD_CHANGE, SIGN_UP; all of them when absent.</summary>
    public List<string>? EventFilter { get; init; }
    [Required]
    public CompromisedCredentialsActionsType? Actions { get; init; }
}

public sealed record CompromisedCredentialsActionsType
{
    [Required]
    [AllowedValues("BLOCK", "NO_ACTION")]
    public string? EventAction { get; init; }
}

public sealed record AccountTakeoverRiskConfigurationType
{
    public NotifyConfigurationType? NotifyConfiguration { get; init; }
    [Required]
    public AccountTakeoverActionsType? Actions { get; init; }
}

public sealed record AccountTakeoverActionsType
{
    public AccountTakeoverActionType? LowAction { get; init; }
    public AccountTakeoverActionType? MediumAction { get; init; }
    public AccountTakeoverActionType? HighAction { get; init; }
}

public sealed record AccountTakeoverActionType
{
    [Required]
    public bool? Notify { get; init; }
    [Required]
    [AllowedValues("BLOCK", "MFA_IF_CONFIGURED", "MFA_REQUIRED", "NO_ACTION")]
    public string? EventAction { get; init; }
}

public sealed record NotifyConfigurationType
{
    [StringLength(131072)]
    public string? From { get; init; }
    [StringLength(131072)]
    public string? ReplyTo { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? SourceArn { get; init; }
    public NotifyEmailType? BlockEmail { get; init; }
    public NotifyEmailType? NoActionEmail { get; init; }
    public NotifyEmailType? MfaEmail { get; init; }
}

public sealed record NotifyEmailType
{
    [Required]
    [StringLength(140, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+")]
    public string? Subject { get; init; }
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+")]
    public string? HtmlBody { get; init; }
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+")]
    public string? TextBody { get; init; }
}

public sealed record RiskExceptionConfigurationType
{
    /// <summary>CIDR ranges always blocked (at most 200).</summary>
    [MaxLength(200)]
    public List<string>? BlockedIPRangeList { get; init; }
    /// <summary>CIDR ranges never assessed (at most 200).</summary>
    [MaxLength(200)]
    public List<string>? SkippedIPRangeList { get; init; }
}
