// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminListDevicesRequest : ICognitoRequest<AdminListDevicesResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    [Range(0, 60)]
    public int? Limit { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
}

public sealed record AdminListDevicesResponse
{
    public List<DeviceType>? Devices { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
}
