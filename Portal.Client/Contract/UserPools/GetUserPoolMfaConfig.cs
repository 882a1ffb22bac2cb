// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record GetUserPoolMfaConfigRequest : ICognitoRequest<GetUserPoolMfaConfigResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record GetUserPoolMfaConfigResponse
{
    public SmsMfaConfigType? SmsMfaConfiguration { get; init; }
    public SoftwareTokenMfaConfigType? SoftwareTokenMfaConfiguration { get; init; }
    public EmailMfaConfigType? EmailMfaConfiguration { get; init; }
    [AllowedValues("OFF", "ON", "OPTIONAL")]
    public string? MfaConfiguration { get; init; }
    public WebAuthnConfigurationType? WebAuthnConfiguration { get; init; }
}
