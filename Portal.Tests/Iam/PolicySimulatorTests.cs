using Portal.Client.Contract.Iam;
using Portal.Server.Iam.Policies;

namespace Portal.Tests.Iam;

/// <summary>The parts of AWS's evaluation logic the policy simulator shows: permissions boundaries and session policies
/// combined with identity policies, the deciding statement and its place in the document, literal wildcards from policy
/// variables, negated operators with unresolved variables, and IAM's typed context entries.</summary>
public sealed class PolicySimulatorTests
{
    static PolicyDocument Doc(string json) => PolicyDocument.Parse(json, PolicyKind.Identity);

    static RequestContext Request(string action, string resource = "arn:aws:s3:::bucket/key") => new() { Action = action, Resource = resource };

    static readonly PolicyDocument AllS3 = Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""");
    static readonly PolicyDocument GetOnly = Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}""");
    static readonly PolicyDocument DenyDelete = Doc("""{"Version":"2012-10-17","Statement":{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}}""");

    [Fact]
    public void A_permissions_boundary_limits_what_the_identity_policies_allow_and_names_itself()
    {
        Assert.True(PolicyEvaluator.Evaluate([AllS3], null, [GetOnly], Request("s3:GetObject")).Allowed);
        var put = PolicyEvaluator.Evaluate([AllS3], null, [GetOnly], Request("s3:PutObject"));
        Assert.Equal(Decision.ImplicitDeny, put.Decision);
        Assert.Equal(PolicyLayer.PermissionsBoundary, put.Layer);
        // A boundary never grants: the identity policies must allow too.
        Assert.Equal(Decision.ImplicitDeny, PolicyEvaluator.Evaluate([GetOnly], null, [AllS3], Request("s3:PutObject")).Decision);
        // A Deny in the boundary wins.
        var delete = PolicyEvaluator.Evaluate([AllS3], null, [AllS3, DenyDelete], Request("s3:DeleteObject"));
        Assert.Equal(Decision.ExplicitDeny, delete.Decision);
        Assert.Equal("NoDelete", delete.Statement!.Sid);
        // An empty boundary allows nothing; no boundary at all leaves the identity policies to decide.
        Assert.False(PolicyEvaluator.Evaluate([AllS3], null, [], Request("s3:GetObject")).Allowed);
        Assert.True(PolicyEvaluator.Evaluate([AllS3], null, null, Request("s3:GetObject")).Allowed);
    }

    [Fact]
    public void Session_and_boundary_together_intersect_with_the_identity_policies()
    {
        var scopeDown = Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}}""");
        Assert.True(PolicyEvaluator.Evaluate([AllS3], [scopeDown], [GetOnly], Request("s3:GetObject")).Allowed);
        var put = PolicyEvaluator.Evaluate([AllS3], [scopeDown], [GetOnly], Request("s3:PutObject"));
        Assert.Equal(PolicyLayer.PermissionsBoundary, put.Layer);
        var acl = PolicyEvaluator.Evaluate([AllS3], [scopeDown], [GetOnly], Request("s3:GetObjectAcl"));
        Assert.Equal(Decision.ImplicitDeny, acl.Decision);
        Assert.Equal(PolicyLayer.Session, acl.Layer);
    }

    [Fact]
    public void Statements_know_their_place_in_the_document_for_highlighting()
    {
        const string text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n    {\n      \"Sid\": \"B\", \"Effect\": \"Deny\", \"Action\": \"s3:Delete*\", \"Resource\": \"*\"\n    }\n  ]\n}";
        var doc = PolicyDocument.Parse(text, PolicyKind.Identity);
        var a = doc.Statements[0];
        Assert.Equal("{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}", doc.Text![a.Start..a.End]);
        Assert.Equal(new TextPosition(4, 5), doc.Position(a.Start));
        var b = doc.Statements[1];
        Assert.StartsWith("{\n      \"Sid\": \"B\"", doc.Text[b.Start..b.End], StringComparison.Ordinal);
        Assert.EndsWith("}", doc.Text[b.Start..b.End], StringComparison.Ordinal);
        Assert.Equal(new TextPosition(5, 5), doc.Position(b.Start));
        Assert.Equal(new TextPosition(7, 6), doc.Position(b.End));
        // A single statement object (no array), with non-ASCII text before it: offsets are characters, not bytes.
        var single = PolicyDocument.Parse("""{"Id":"naïve","Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""", PolicyKind.Identity);
        Assert.Equal("""{"Effect":"Allow","Action":"s3:*","Resource":"*"}""", single.Text![single.Statements[0].Start..single.Statements[0].End]);
    }

    [Fact]
    public void A_variables_value_and_the_escape_star_are_literal_not_wildcards()
    {
        var home = Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}""");
        Assert.True(PolicyEvaluator.Evaluate(home, Request("s3:GetObject", "arn:aws:s3:::bucket/home/a*/x").With("aws:username", "a*")).Allowed);
        Assert.False(PolicyEvaluator.Evaluate(home, Request("s3:GetObject", "arn:aws:s3:::bucket/home/anna/x").With("aws:username", "a*")).Allowed);
        var star = Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/literal/${*}/x"}}""");
        Assert.True(PolicyEvaluator.Evaluate(star, Request("s3:GetObject", "arn:aws:s3:::bucket/literal/*/x")).Allowed);
        Assert.False(PolicyEvaluator.Evaluate(star, Request("s3:GetObject", "arn:aws:s3:::bucket/literal/abc/x")).Allowed);
    }

    [Fact]
    public void A_negated_condition_with_a_variable_that_has_no_value_does_not_match()
    {
        var policy = Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}}}""");
        Assert.False(PolicyEvaluator.Evaluate(policy, Request("s3:GetObject").With("aws:PrincipalTag/owner", "bob")).Allowed);
        Assert.True(PolicyEvaluator.Evaluate(policy, Request("s3:GetObject").With("aws:PrincipalTag/owner", "bob").With("aws:username", "alice")).Allowed);
        Assert.False(PolicyEvaluator.Evaluate(policy, Request("s3:GetObject").With("aws:PrincipalTag/owner", "bob").With("aws:username", "bob")).Allowed);
    }

    [Fact]
    public void The_simulator_reports_the_deciding_statement_every_match_and_missing_context_keys()
    {
        const string text = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Own","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*"},
              {"Sid":"Secure","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """;
        var policies = new[] { new SimulationPolicy("PolicyInputList.1", "none", PolicyLayer.Identity, Doc(text)) };
        var sub = "us-east-1:aaaa";
        var context = PolicySimulator.Context([("cognito-identity.amazonaws.com:sub", [sub], "string"), ("aws:SecureTransport", ["TRUE"], "boolean")]);
        var own = PolicySimulator.Simulate(policies, "s3:GetObject", $"arn:aws:s3:::bucket/private/{sub}/a", context);
        Assert.Equal(Decision.Allow, own.Decision);
        Assert.Equal("Own", own.Deciding!.Statement.Sid);
        Assert.Equal(new TextPosition(2, 3), own.Deciding.Start);
        Assert.Empty(own.MissingContextValues);
        var other = PolicySimulator.Simulate(policies, "s3:GetObject", "arn:aws:s3:::bucket/private/someone/a", context);
        Assert.Equal(Decision.ImplicitDeny, other.Decision);
        Assert.Null(other.Deciding);
        Assert.Empty(other.Matched);
        var insecure = PolicySimulator.Simulate(policies, "s3:GetObject", $"arn:aws:s3:::bucket/private/{sub}/a",
            PolicySimulator.Context([("cognito-identity.amazonaws.com:sub", [sub], "string"), ("aws:SecureTransport", ["false"], "boolean")]));
        Assert.Equal(Decision.ExplicitDeny, insecure.Decision);
        Assert.Equal("Secure", Assert.Single(insecure.Matched).Statement.Sid);
        var bare = PolicySimulator.Simulate(policies, "s3:GetObject", "arn:aws:s3:::bucket/x", new Dictionary<string, IReadOnlyList<string>>());
        Assert.Equal(["aws:SecureTransport", "cognito-identity.amazonaws.com:sub"], bare.MissingContextValues.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("numeric", "ten")]
    [InlineData("boolean", "yes")]
    [InlineData("ip", "10.0.0.300")]
    [InlineData("date", "yesterday")]
    [InlineData("colour", "red")]
    public void Context_entries_of_the_wrong_type_are_refused(string type, string value) =>
        Assert.Throws<ArgumentException>(() => PolicySimulator.Context([("k:key", [value], type)]));

    [Fact]
    public void A_single_valued_context_type_takes_one_value() =>
        Assert.Throws<ArgumentException>(() => PolicySimulator.Context([("aws:username", ["a", "b"], "string")]));

    [Fact]
    public void Malformed_simulator_input_is_IAMs_malformed_policy_error() =>
        Assert.Throws<MalformedPolicyDocumentException>(() => Doc("""{"Version":"2012-10-17","Statement":{"Effect":"Maybe","Action":"s3:*","Resource":"*"}}"""));
}
