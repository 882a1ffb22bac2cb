// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record SetUICustomizationRequest : ICognitoRequest<SetUICustomizationResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? CSS { get; init; }
    [MaxLength(131072)]
    public byte[]? ImageFile { get; init; }
}

public sealed record SetUICustomizationResponse
{
    public UICustomizationType? UICustomization { get; init; }
}

public sealed record UICustomizationType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    public string? ImageUrl { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? CSS { get; init; }
    public string? CSSVersion { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}
