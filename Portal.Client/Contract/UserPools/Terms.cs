// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

public sealed record CreateTermsRequest : ICognitoRequest<CreateTermsResponse>
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
    [RegularExpression("^(terms-of-use|privacy-policy)$")]
    public string? TermsName { get; init; }
    [Required]
    [AllowedValues("LINK")]
    public string? TermsSource { get; init; }
    [Required]
    [AllowedValues("NONE")]
    public string? Enforcement { get; init; }
    [MinLength(1)]
    [MaxLength(13)]
    public Dictionary<string, string>? Links { get; init; }
}

public sealed record CreateTermsResponse
{
    public TermsType? Terms { get; init; }
}

public sealed record DescribeTermsRequest : ICognitoRequest<DescribeTermsResponse>
{
    [Required]
    [RegularExpression(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    public string? TermsId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record DescribeTermsResponse
{
    public TermsType? Terms { get; init; }
}

public sealed record UpdateTermsRequest : ICognitoRequest<UpdateTermsResponse>
{
    [Required]
    [RegularExpression(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    public string? TermsId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [RegularExpression("^(terms-of-use|privacy-policy)$")]
    public string? TermsName { get; init; }
    [AllowedValues("LINK")]
    public string? TermsSource { get; init; }
    [AllowedValues("NONE")]
    public string? Enforcement { get; init; }
    [MinLength(1)]
    [MaxLength(13)]
    public Dictionary<string, string>? Links { get; init; }
}

public sealed record UpdateTermsResponse
{
    public TermsType? Terms { get; init; }
}

public sealed record DeleteTermsRequest : ICognitoRequest<DeleteTermsResponse>
{
    [Required]
    [RegularExpression(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    public string? TermsId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record DeleteTermsResponse
{
}

public sealed record ListTermsRequest : ICognitoRequest<ListTermsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Range(1, 60)]
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListTermsResponse
{
    public List<TermsDescriptionType>? Terms { get; init; }
    public string? NextToken { get; init; }
}

public sealed record TermsType
{
    public string? TermsId { get; init; }
    public string? UserPoolId { get; init; }
    public string? ClientId { get; init; }
    public string? TermsName { get; init; }
    public string? TermsSource { get; init; }
    public string? Enforcement { get; init; }
    public Dictionary<string, string>? Links { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

public sealed record TermsDescriptionType
{
    public string? TermsId { get; init; }
    public string? TermsName { get; init; }
    public string? Enforcement { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}
