// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record VerifySoftwareTokenRequest : ICognitoRequest<VerifySoftwareTokenResponse>
{
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
    [Required]
    [StringLength(6, MinimumLength = 6)]
    [RegularExpression(@"[0-9]+")]
    public string? UserCode { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? FriendlyDeviceName { get; init; }
}

public sealed record VerifySoftwareTokenResponse
{
    [AllowedValues("SUCCESS", "ERROR")]
    public string? Status { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}
