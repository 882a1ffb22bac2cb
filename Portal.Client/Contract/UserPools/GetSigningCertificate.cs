// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record GetSigningCertificateRequest : ICognitoRequest<GetSigningCertificateResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record GetSigningCertificateResponse
{
    [StringLength(131072, MinimumLength = 0)]
    public string? Certificate { get; init; }
}
