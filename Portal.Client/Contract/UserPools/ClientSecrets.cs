// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

public sealed record AddUserPoolClientSecretRequest : ICognitoRequest<AddUserPoolClientSecretResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(64, MinimumLength = 24)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientSecret { get; init; }
}

public sealed record AddUserPoolClientSecretResponse
{
    public ClientSecretDescriptorType? ClientSecretDescriptor { get; init; }
}

public sealed record DeleteUserPoolClientSecretRequest : ICognitoRequest<DeleteUserPoolClientSecretResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string? ClientSecretId { get; init; }
}

public sealed record DeleteUserPoolClientSecretResponse
{
}

public sealed record ListUserPoolClientSecretsRequest : ICognitoRequest<ListUserPoolClientSecretsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}

public sealed record ListUserPoolClientSecretsResponse
{
    public List<ClientSecretDescriptorType>? ClientSecrets { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ClientSecretDescriptorType
{
    public string? ClientSecretId { get; init; }
    public string? ClientSecretValue { get; init; }
    public DateTimeOffset? ClientSecretCreateDate { get; init; }
}
