using Portal.Server.Wire;

namespace Portal.Server.Gateway.IamApi;

/// <summary>
/// How an IAM route tells its backend who called, named after API Gateway's <c>$context.identity.*</c> variables
/// (which an API Gateway HTTP integration maps into headers of the integrator's choosing):
/// <list type="bullet">
/// <item><c>x-amzn-identity-cognito-identity-id</c>: <c>cognitoIdentityId</c>, the identity (<c>us-east-1:uuid</c>);</item>
/// <item><c>x-amzn-identity-cognito-identity-pool-id</c>: <c>cognitoIdentityPoolId</c>;</item>
/// <item><c>x-amzn-identity-cognito-authentication-type</c>: <c>cognitoAuthenticationType</c>, <c>authenticated</c> or <c>unauthenticated</c>;</item>
/// <item><c>x-amzn-identity-cognito-authentication-provider</c>: <c>cognitoAuthenticationProvider</c>, e.g.
/// <c>cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc,cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc:CognitoSignIn:{sub}</c>;</item>
/// <item><c>x-amzn-identity-caller</c>: <c>caller</c>, the principal id (<c>AROA…:session</c>, or the access key for admin keys);</item>
/// <item><c>x-amzn-identity-user</c>: <c>user</c>, the same principal id;</item>
/// <item><c>x-amzn-identity-user-arn</c>: <c>userArn</c>, <c>arn:aws:sts::{account}:assumed-role/{role}/{session}</c>;</item>
/// <item><c>x-amzn-identity-access-key</c>: <c>accessKey</c>.</item>
/// </list>
/// A caller's own <c>x-amzn-identity-*</c> headers are removed first, and its Authorization header is never forwarded.
/// </summary>
public static class IamIdentityHeaders
{
    public const string Prefix = "x-amzn-identity-";

    public static List<KeyValuePair<string, string>> For(SignedCaller caller, string account)
    {
        var headers = new List<KeyValuePair<string, string>> { new(Prefix + "access-key", caller.AccessKeyId) };
        if (caller.Session is not { } session)
        {
            headers.Add(new(Prefix + "caller", caller.AccessKeyId));
            headers.Add(new(Prefix + "user", caller.AccessKeyId));
            headers.Add(new(Prefix + "user-arn", $"arn:aws:iam::{account}:root"));
            return headers;
        }
        headers.Add(new(Prefix + "caller", session.AssumedRoleId));
        headers.Add(new(Prefix + "user", session.AssumedRoleId));
        headers.Add(new(Prefix + "user-arn", session.AssumedRoleArn));
        if (session.Provider == "cognito-identity.amazonaws.com")
        {
            if (session.Subject is { } identityId) headers.Add(new(Prefix + "cognito-identity-id", identityId));
            if (session.Audience is { } poolId) headers.Add(new(Prefix + "cognito-identity-pool-id", poolId));
            if (session.Amr.Count > 0)
            {
                headers.Add(new(Prefix + "cognito-authentication-type", session.Amr[0]));
                if (session.Amr.Count > 1) headers.Add(new(Prefix + "cognito-authentication-provider", string.Join(",", session.Amr.Skip(1))));
            }
        }
        return headers;
    }
}
