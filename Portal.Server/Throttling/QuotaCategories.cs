namespace Portal.Server.Throttling;

/// <summary>Cognito's quota categories and which operation counts against which ("Quotas in Amazon Cognito").
/// User pool quotas count per pool and category; identity pool quotas count per account and operation, as Cognito
/// documents them. Operations not listed (Portal's own extensions, the identity-pool operations Cognito gives no quota)
/// have none; the per-address limit still applies.</summary>
public static class QuotaCategories
{
    public const string UserAuthentication = nameof(UserAuthentication);
    public const string UserCreation = nameof(UserCreation);
    public const string UserFederation = nameof(UserFederation);
    public const string UserAccountRecovery = nameof(UserAccountRecovery);
    public const string UserRead = nameof(UserRead);
    public const string UserUpdate = nameof(UserUpdate);
    public const string UserResourceUpdate = nameof(UserResourceUpdate);
    public const string UserList = nameof(UserList);
    public const string UserToken = nameof(UserToken);
    public const string UserPoolRead = nameof(UserPoolRead);
    public const string UserPoolUpdate = nameof(UserPoolUpdate);
    public const string UserPoolResourceRead = nameof(UserPoolResourceRead);
    public const string UserPoolResourceUpdate = nameof(UserPoolResourceUpdate);
    public const string ClientAuthentication = nameof(ClientAuthentication);

    // Identity pools: Cognito's "identity pools API operation request rate quotas", one per operation and account. The
    // tag operations share their names with user pools' own, so their categories say which API they are of.
    public const string GetId = nameof(GetId);
    public const string GetOpenIdToken = nameof(GetOpenIdToken);
    public const string GetCredentialsForIdentity = nameof(GetCredentialsForIdentity);
    public const string GetOpenIdTokenForDeveloperIdentity = nameof(GetOpenIdTokenForDeveloperIdentity);
    public const string ListIdentities = nameof(ListIdentities);
    public const string DeleteIdentities = nameof(DeleteIdentities);
    public const string IdentityPoolTagResource = nameof(IdentityPoolTagResource);
    public const string IdentityPoolUntagResource = nameof(IdentityPoolUntagResource);
    public const string IdentityPoolListTagsForResource = nameof(IdentityPoolListTagsForResource);

    static readonly Dictionary<string, string> IdentityPoolsByOperation = new(StringComparer.Ordinal)
    {
        ["GetId"] = GetId,
        ["GetOpenIdToken"] = GetOpenIdToken,
        ["GetCredentialsForIdentity"] = GetCredentialsForIdentity,
        ["GetOpenIdTokenForDeveloperIdentity"] = GetOpenIdTokenForDeveloperIdentity,
        ["ListIdentities"] = ListIdentities,
        ["DeleteIdentities"] = DeleteIdentities,
        ["TagResource"] = IdentityPoolTagResource,
        ["UntagResource"] = IdentityPoolUntagResource,
        ["ListTagsForResource"] = IdentityPoolListTagsForResource,
    };

    static readonly Dictionary<string, string> ByOperation = Table(new()
    {
        [UserAuthentication] = ["InitiateAuth", "RespondToAuthChallenge", "AdminInitiateAuth", "AdminRespondToAuthChallenge"],
        [UserCreation] = ["SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp"],
        [UserAccountRecovery] = ["ForgotPassword", "ConfirmForgotPassword", "ResendConfirmationCode", "ChangePassword", "AdminResetUserPassword"],
        [UserRead] = ["GetUser", "AdminGetUser", "AdminListGroupsForUser", "ListDevices", "AdminListDevices", "GetDevice", "AdminGetDevice",
            "AdminListUserAuthEvents", "GetUserAuthFactors", "AdminGetUserAuthFactors", "ListWebAuthnCredentials"],
        [UserUpdate] = ["UpdateUserAttributes", "AdminUpdateUserAttributes", "DeleteUserAttributes", "AdminDeleteUserAttributes",
            "DeleteUser", "AdminDeleteUser", "AdminDisableUser", "AdminEnableUser", "AdminSetUserPassword", "SetUserMFAPreference",
            "AdminSetUserMFAPreference", "SetUserSettings", "AdminSetUserSettings", "GlobalSignOut", "AdminUserGlobalSignOut",
            "VerifyUserAttribute", "GetUserAttributeVerificationCode", "AssociateSoftwareToken", "VerifySoftwareToken",
            "AdminLinkProviderForUser", "AdminDisableProviderForUser", "ConfirmDevice", "ForgetDevice", "AdminForgetDevice",
            "UpdateDeviceStatus", "AdminUpdateDeviceStatus", "UpdateAuthEventFeedback", "AdminUpdateAuthEventFeedback"],
        [UserResourceUpdate] = ["AdminAddUserToGroup", "AdminRemoveUserFromGroup"],
        [UserList] = ["ListUsers", "ListUsersInGroup"],
        [UserToken] = ["RevokeToken", "GetTokensFromRefreshToken"],
        [UserPoolRead] = ["DescribeUserPool", "ListUserPools", "GetUserPoolMfaConfig", "DescribeUserPoolClient", "ListUserPoolClients",
            "DescribeUserPoolDomain", "ListUserPoolClientSecrets"],
        [UserPoolUpdate] = ["CreateUserPool", "UpdateUserPool", "DeleteUserPool", "SetUserPoolMfaConfig", "AddCustomAttributes",
            "CreateUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient", "CreateUserPoolDomain", "UpdateUserPoolDomain",
            "DeleteUserPoolDomain", "AddUserPoolClientSecret", "DeleteUserPoolClientSecret"],
        [UserPoolResourceRead] = ["GetGroup", "ListGroups", "DescribeIdentityProvider", "ListIdentityProviders", "GetIdentityProviderByIdentifier",
            "DescribeResourceServer", "ListResourceServers", "GetUICustomization", "GetSigningCertificate", "GetCSVHeader",
            "DescribeUserImportJob", "ListUserImportJobs", "ListTagsForResource", "DescribeRiskConfiguration", "GetLogDeliveryConfiguration",
            "DescribeTerms", "ListTerms", "DescribeManagedLoginBranding", "DescribeManagedLoginBrandingByClient"],
        [UserPoolResourceUpdate] = ["CreateGroup", "UpdateGroup", "DeleteGroup", "CreateIdentityProvider", "UpdateIdentityProvider",
            "DeleteIdentityProvider", "CreateResourceServer", "UpdateResourceServer", "DeleteResourceServer", "SetUICustomization",
            "TagResource", "UntagResource", "SetRiskConfiguration", "CreateUserImportJob", "StartUserImportJob", "StopUserImportJob",
            "SetLogDeliveryConfiguration", "CreateTerms", "UpdateTerms", "DeleteTerms", "CreateManagedLoginBranding",
            "UpdateManagedLoginBranding", "DeleteManagedLoginBranding"],
    });

    /// <summary>The category of a user pools operation (by its Cognito name), or null.</summary>
    public static string? Of(string operation) => ByOperation.GetValueOrDefault(operation);

    /// <summary>The quota of an identity pools operation (by its Cognito name), or null.</summary>
    public static string? OfIdentityPools(string operation) => IdentityPoolsByOperation.GetValueOrDefault(operation);

    static Dictionary<string, string> Table(Dictionary<string, string[]> categories) =>
        categories.SelectMany(c => c.Value.Select(op => (op, c.Key))).ToDictionary(x => x.op, x => x.Key, StringComparer.Ordinal);
}
