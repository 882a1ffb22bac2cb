// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record GetUserAuthFactorsRequest : ICognitoRequest<GetUserAuthFactorsResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
}

public sealed record GetUserAuthFactorsResponse
{
    public string? Username { get; init; }
    public string? PreferredMfaSetting { get; init; }
    public List<string>? UserMFASettingList { get; init; }
    /// <summary>The first factors of USER_AUTH this user can use: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.</summary>
    public List<string>? ConfiguredUserAuthFactors { get; init; }
}
