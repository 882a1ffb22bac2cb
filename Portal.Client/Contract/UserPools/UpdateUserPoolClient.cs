// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record UpdateUserPoolClientRequest : ICognitoRequest<UpdateUserPoolClientResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? ClientName { get; init; }
    [Range(0, 315360000)]
    public int? RefreshTokenValidity { get; init; }
    [Range(1, 86400)]
    public int? AccessTokenValidity { get; init; }
    [Range(1, 86400)]
    public int? IdTokenValidity { get; init; }
    public TokenValidityUnitsType? TokenValidityUnits { get; init; }
    public List<string>? ReadAttributes { get; init; }
    public List<string>? WriteAttributes { get; init; }
    public List<string>? ExplicitAuthFlows { get; init; }
    public List<string>? SupportedIdentityProviders { get; init; }
    [Length(0, 100)]
    public List<string>? CallbackURLs { get; init; }
    [Length(0, 100)]
    public List<string>? LogoutURLs { get; init; }
    [StringLength(1024, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? DefaultRedirectURI { get; init; }
    [Length(0, 3)]
    public List<string>? AllowedOAuthFlows { get; init; }
    [Length(0, 50)]
    public List<string>? AllowedOAuthScopes { get; init; }
    public bool? AllowedOAuthFlowsUserPoolClient { get; init; }
    public AnalyticsConfigurationType? AnalyticsConfiguration { get; init; }
    [AllowedValues("LEGACY", "ENABLED")]
    public string? PreventUserExistenceErrors { get; init; }
    public bool? EnableTokenRevocation { get; init; }
    public bool? EnablePropagateAdditionalUserContextData { get; init; }
    [Range(3, 15)]
    public int? AuthSessionValidity { get; init; }
    public RefreshTokenRotationType? RefreshTokenRotation { get; init; }
}

public sealed record UpdateUserPoolClientResponse
{
    public UserPoolClientType? UserPoolClient { get; init; }
}
