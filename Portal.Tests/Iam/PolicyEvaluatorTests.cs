using Portal.Client.Contract.Iam;
using Portal.Server.Iam.Policies;

namespace Portal.Tests.Iam;

/// <summary>IAM's evaluation logic on the documents users write: Cognito's trust policies, scope-down policies with policy
/// variables, every condition operator family, and IAM's validation of malformed documents.</summary>
public sealed class PolicyEvaluatorTests
{
    const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";

    /// <summary>The trust policy the Cognito console and every template write for an identity pool's authenticated role.</summary>
    static readonly string CognitoTrust = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
         "Action":"sts:AssumeRoleWithWebIdentity",
         "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"@PoolId@"},
                      "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}
        """.Replace("@PoolId@", PoolId, StringComparison.Ordinal);

    static RequestContext WebIdentity(string aud, params string[] amr) =>
        new RequestContext { Action = "sts:AssumeRoleWithWebIdentity", Principal = new RequestPrincipal("Federated", ["cognito-identity.amazonaws.com"]) }
            .With("cognito-identity.amazonaws.com:aud", aud)
            .With("cognito-identity.amazonaws.com:amr", amr);

    static Evaluation Decide(string policy, RequestContext request, PolicyKind kind = PolicyKind.Identity) =>
        PolicyEvaluator.Evaluate(PolicyDocument.Parse(policy, kind), request);

    [Fact]
    public void Cognito_trust_policy_trusts_authenticated_identities_of_its_pool_only()
    {
        var trust = PolicyDocument.Parse(CognitoTrust, PolicyKind.Trust);
        Assert.True(PolicyEvaluator.Evaluate(trust, WebIdentity(PoolId, "authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc")).Allowed);
        Assert.Equal(Decision.ImplicitDeny, PolicyEvaluator.Evaluate(trust, WebIdentity(PoolId, "unauthenticated")).Decision);
        Assert.False(PolicyEvaluator.Evaluate(trust, WebIdentity("us-east-1:99999999-2222-3333-4444-555555555555", "authenticated")).Allowed);
        // Another federated principal (an OIDC provider) is not the one trusted.
        var other = new RequestContext { Action = "sts:AssumeRoleWithWebIdentity", Principal = new RequestPrincipal("Federated", ["accounts.google.com"]) }
            .With("cognito-identity.amazonaws.com:aud", PoolId).With("cognito-identity.amazonaws.com:amr", "authenticated");
        Assert.False(PolicyEvaluator.Evaluate(trust, other).Allowed);
        // Another action is not allowed.
        var assume = WebIdentity(PoolId, "authenticated");
        Assert.False(PolicyEvaluator.Evaluate(trust, new RequestContext { Action = "sts:AssumeRole", Principal = assume.Principal }).Allowed);
    }

    [Fact]
    public void Explicit_deny_wins_over_allow_and_names_its_statement()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"},
              {"Sid":"NoDelete","Effect":"Deny","Action":["s3:Delete*"],"Resource":"arn:aws:s3:::bucket/*"}]}
            """;
        var get = Decide(policy, new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket/a.txt" });
        Assert.Equal(Decision.Allow, get.Decision);
        Assert.Equal("All", get.Statement!.Sid);
        var delete = Decide(policy, new RequestContext { Action = "S3:DeleteObject", Resource = "arn:aws:s3:::bucket/a.txt" });
        Assert.Equal(Decision.ExplicitDeny, delete.Decision);
        Assert.Equal("NoDelete", delete.Statement!.Sid);
        Assert.Equal(Decision.ImplicitDeny, Decide("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}""",
            new RequestContext { Action = "s3:PutObject", Resource = "arn:aws:s3:::b/k" }).Decision);
    }

    [Fact]
    public void NotAction_and_NotResource_exclude()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]}
            """;
        Assert.True(Decide(policy, new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::public/x" }).Allowed);
        Assert.False(Decide(policy, new RequestContext { Action = "iam:CreateRole", Resource = "arn:aws:s3:::public/x" }).Allowed);
        Assert.False(Decide(policy, new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::secret/x" }).Allowed);
    }

    [Fact]
    public void Policy_variables_scope_each_identity_to_its_own_prefix()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",
              "Resource":"arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*"},
             {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket",
              "Condition":{"StringLike":{"s3:prefix":["private/${cognito-identity.amazonaws.com:sub}/*", "public/*"]}}}]}
            """;
        var sub = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001";
        RequestContext As(string action, string resource) => new RequestContext { Action = action, Resource = resource }
            .With("cognito-identity.amazonaws.com:sub", sub);
        Assert.True(Decide(policy, As("s3:GetObject", $"arn:aws:s3:::bucket/private/{sub}/photo.jpg")).Allowed);
        Assert.False(Decide(policy, As("s3:GetObject", "arn:aws:s3:::bucket/private/us-east-1:someone-else/photo.jpg")).Allowed);
        Assert.True(Decide(policy, As("s3:ListBucket", "arn:aws:s3:::bucket").With("s3:prefix", $"private/{sub}/")).Allowed);
        Assert.False(Decide(policy, As("s3:ListBucket", "arn:aws:s3:::bucket").With("s3:prefix", "private/other/")).Allowed);
        // Without the variable's key the statement matches nothing (no accidental "private//*").
        Assert.False(Decide(policy, new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket/private//x" }).Allowed);
        // A default fills an absent variable.
        Assert.True(Decide("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username, 'guest'}/*"}}""",
            new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::b/guest/x" }).Allowed);
    }

    [Theory]
    [InlineData("NumericLessThan", "10", "9", true)]
    [InlineData("NumericLessThan", "10", "10", false)]
    [InlineData("NumericGreaterThanEquals", "10", "10", true)]
    [InlineData("NumericEquals", "10", "ten", false)]
    [InlineData("DateGreaterThan", "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", true)]
    [InlineData("DateLessThan", "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", false)]
    [InlineData("DateLessThan", "2026-01-01T00:00:00Z", "1700000000", true)]
    [InlineData("Bool", "true", "true", true)]
    [InlineData("Bool", "true", "false", false)]
    [InlineData("IpAddress", "203.0.113.0/24", "203.0.113.77", true)]
    [InlineData("IpAddress", "203.0.113.0/24", "198.51.100.1", false)]
    [InlineData("NotIpAddress", "203.0.113.0/24", "198.51.100.1", true)]
    [InlineData("IpAddress", "2001:db8::/32", "2001:db8::1", true)]
    [InlineData("StringEqualsIgnoreCase", "Admin", "admin", true)]
    [InlineData("StringNotEquals", "admin", "admin", false)]
    [InlineData("StringLike", "team-?-*", "team-a-red", true)]
    [InlineData("StringNotLike", "team-*", "team-a", false)]
    [InlineData("ArnLike", "arn:aws:iam::*:role/app-*", "arn:aws:iam::123456789012:role/app-web", true)]
    [InlineData("ArnEquals", "arn:aws:iam::123456789012:role/app", "arn:aws:iam::123456789012:role/other", false)]
    public void Condition_operators_compare_as_IAM_does(string op, string policyValue, string requestValue, bool allowed)
    {
        var policy = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"x:Do","Resource":"*","Condition":{"@op@":{"k:v":"@policyValue@"}}}}""".Replace("@op@", op, StringComparison.Ordinal).Replace("@policyValue@", policyValue, StringComparison.Ordinal);
        Assert.Equal(allowed, Decide(policy, new RequestContext { Action = "x:Do", Resource = "r" }.With("k:v", requestValue)).Allowed);
    }

    [Fact]
    public void Absent_keys_IfExists_Null_and_set_operators()
    {
        static string With(string condition) => """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"x:Do","Resource":"*","Condition":""" + condition + "}}";
        var bare = new RequestContext { Action = "x:Do", Resource = "r" };
        Assert.False(Decide(With("""{"StringEquals":{"k:v":"a"}}"""), bare).Allowed);
        Assert.True(Decide(With("""{"StringEqualsIfExists":{"k:v":"a"}}"""), bare).Allowed);
        Assert.True(Decide(With("""{"Null":{"k:v":"true"}}"""), bare).Allowed);
        Assert.False(Decide(With("""{"Null":{"k:v":"false"}}"""), bare).Allowed);
        // ForAllValues holds for no values at all; ForAnyValue does not.
        Assert.True(Decide(With("""{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"""), bare).Allowed);
        Assert.False(Decide(With("""{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}"""), bare).Allowed);
        var tags = new RequestContext { Action = "x:Do", Resource = "r" }.With("aws:TagKeys", "a", "c");
        Assert.False(Decide(With("""{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"""), tags).Allowed);
        Assert.True(Decide(With("""{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}"""), tags).Allowed);
        // Several conditions are ANDed, several values of one key ORed.
        var both = new RequestContext { Action = "x:Do", Resource = "r" }.With("k:a", "1").With("k:b", "y");
        Assert.True(Decide(With("""{"StringEquals":{"k:a":["0","1"],"k:b":"y"}}"""), both).Allowed);
        Assert.False(Decide(With("""{"StringEquals":{"k:a":["0","1"],"k:b":"z"}}"""), both).Allowed);
    }

    [Fact]
    public void Session_policies_intersect_with_the_role_policies()
    {
        var role = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","cognito-sync:*"],"Resource":"*"}}""", PolicyKind.Identity);
        var session = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-sync:*","Resource":"*"}}""", PolicyKind.Identity);
        Assert.True(PolicyEvaluator.EvaluateSession([role], [session], new RequestContext { Action = "cognito-sync:ListRecords", Resource = "x" }).Allowed);
        Assert.False(PolicyEvaluator.EvaluateSession([role], [session], new RequestContext { Action = "s3:GetObject", Resource = "x" }).Allowed);
        Assert.True(PolicyEvaluator.EvaluateSession([role], [], new RequestContext { Action = "s3:GetObject", Resource = "x" }).Allowed);
    }

    [Theory]
    [InlineData("not json", PolicyKind.Identity, "This policy contains invalid Json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]}""", PolicyKind.Identity, "Missing required field Effect")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}""", PolicyKind.Identity, "Invalid effect: Permit")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}""", PolicyKind.Identity, "Policy statement must contain actions.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}""", PolicyKind.Identity, "Policy statement must contain resources.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}""", PolicyKind.Identity, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}""", PolicyKind.Identity, "Policy document should not specify a principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}""", PolicyKind.Trust, "Missing required field Principal")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"x"},"Action":"sts:AssumeRole","Resource":"*"}]}""", PolicyKind.Trust, "Has prohibited field Resource")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringSortOf":{"a:b":"c"}}}]}""", PolicyKind.Identity, "Invalid Condition type : StringSortOf")]
    [InlineData("""{"Version":"2099-01-01","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", PolicyKind.Identity, "The policy failed legacy parsing")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Extra":1}]}""", PolicyKind.Identity, "Syntax errors in policy. Unknown field Extra")]
    public void Malformed_documents_are_refused_with_IAMs_message(string json, PolicyKind kind, string message)
    {
        var e = Assert.Throws<MalformedPolicyDocumentException>(() => PolicyDocument.Parse(json, kind));
        Assert.Equal(message, e.Message);
        Assert.Equal("MalformedPolicyDocument", e.Type);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Wildcards_match_whole_values(string pattern, string value, bool matches) =>
        Assert.Equal(matches, Wildcard.Match(pattern, value, ignoreCase: false));
}
