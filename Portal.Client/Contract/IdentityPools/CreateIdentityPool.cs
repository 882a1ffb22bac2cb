// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record CreateIdentityPoolRequest : IdentityPoolDefinition, ICognitoRequest<CreateIdentityPoolResponse>;

/// <summary>The IdentityPool shape.</summary>
public sealed record CreateIdentityPoolResponse : IdentityPool;
