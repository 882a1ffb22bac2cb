// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

using UserStatuses = Portal.Client.Contract.UserStatus;

namespace Portal.Client.Contract;

public sealed record AdminGetUserRequest : ICognitoRequest<AdminGetUserResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
}

public sealed record AdminGetUserResponse
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    public List<AttributeType>? UserAttributes { get; init; }
    public DateTimeOffset? UserCreateDate { get; init; }
    public DateTimeOffset? UserLastModifiedDate { get; init; }
    public bool? Enabled { get; init; }
    [AllowedValues(UserStatuses.Unconfirmed, UserStatuses.Confirmed, UserStatuses.Archived, UserStatuses.Compromised, UserStatuses.Unknown, UserStatuses.ResetRequired, UserStatuses.ForceChangePassword, UserStatuses.ExternalProvider)]
    public string? UserStatus { get; init; }
    public List<MFAOptionType>? MFAOptions { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? PreferredMfaSetting { get; init; }
    public List<string>? UserMFASettingList { get; init; }
}
