// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminUpdateDeviceStatusRequest : ICognitoRequest<AdminUpdateDeviceStatusResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-f-]+")]
    public string? DeviceKey { get; init; }
    [AllowedValues("remembered", "not_remembered")]
    public string? DeviceRememberedStatus { get; init; }
}

public sealed record AdminUpdateDeviceStatusResponse
{
}
