// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
namespace Portal.Client.Contract.IdentityPools;

/// <summary>The IdentityPool shape, as the model takes it.</summary>
[Service(Services.IdentityPools)]
public sealed record UpdateIdentityPoolRequest : IdentityPool, ICognitoRequest<UpdateIdentityPoolResponse>;

/// <summary>The IdentityPool shape.</summary>
public sealed record UpdateIdentityPoolResponse : IdentityPool;
