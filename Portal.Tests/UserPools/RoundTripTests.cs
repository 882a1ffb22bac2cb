using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>What Terraform and CloudFormation do with every resource: create with every settable field, describe, update every
/// field, describe again. Each field set must be described as it was set (else a plan shows drift for ever).</summary>
[Collection(ServerCollection.Name)]
public sealed class RoundTripTests(PortalServer server)
{
    readonly RemoteCognito cognito = Api.Signed(server);

    static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Every member the request set is in the description with the same value (objects member by member, lists of
    /// named objects by name, other lists in order).</summary>
    static void AssertDescribed(object request, object described, IReadOnlyDictionary<string, string>? renamed = null, params string[] skip)
    {
        var expected = JsonSerializer.SerializeToElement(request, request.GetType(), Options);
        var actual = JsonSerializer.SerializeToElement(described, described.GetType(), Options);
        var differences = new List<string>();
        foreach (var member in expected.EnumerateObject())
        {
            if (skip.Contains(member.Name)) continue;
            var name = renamed?.GetValueOrDefault(member.Name) ?? member.Name;
            if (actual.TryGetProperty(name, out var value)) Compare(name, member.Value, value, differences);
            else differences.Add($"{name}: set to {member.Value.GetRawText()}, not described");
        }
        Assert.True(differences.Count == 0, "Described differently:\n" + string.Join("\n", differences));
    }

    static void Compare(string path, JsonElement expected, JsonElement actual, List<string> differences)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object when actual.ValueKind == JsonValueKind.Object:
                foreach (var member in expected.EnumerateObject())
                    if (actual.TryGetProperty(member.Name, out var value)) Compare($"{path}.{member.Name}", member.Value, value, differences);
                    else differences.Add($"{path}.{member.Name}: set to {member.Value.GetRawText()}, not described");
                break;
            case JsonValueKind.Array when actual.ValueKind == JsonValueKind.Array:
                var (e, a) = (expected.EnumerateArray().ToList(), actual.EnumerateArray().ToList());
                if (e.Count > 0 && e.All(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("Name", out _)))
                {
                    foreach (var item in e)
                    {
                        var named = item.GetProperty("Name").GetString();
                        var match = a.FirstOrDefault(x => x.TryGetProperty("Name", out var n) && n.GetString() == named);
                        if (match.ValueKind == JsonValueKind.Undefined) differences.Add($"{path}[{named}]: not described");
                        else Compare($"{path}[{named}]", item, match, differences);
                    }
                }
                else if (e.Count != a.Count) differences.Add($"{path}: set to {expected.GetRawText()}, described as {actual.GetRawText()}");
                else
                    for (var i = 0; i < e.Count; i++) Compare($"{path}[{i}]", e[i], a[i], differences);
                break;
            default:
                if (expected.GetRawText() != actual.GetRawText())
                    differences.Add($"{path}: set to {expected.GetRawText()}, described as {actual.GetRawText()}");
                break;
        }
    }

    static string Lambda(string name) => $"arn:aws:lambda:us-east-1:000000000000:function:{name}";

    static LambdaConfigType Lambdas(string suffix) => new()
    {
        PreSignUp = Lambda("pre-sign-up" + suffix), CustomMessage = Lambda("custom-message" + suffix), PostConfirmation = Lambda("post-confirmation" + suffix),
        PreAuthentication = Lambda("pre-auth" + suffix), PostAuthentication = Lambda("post-auth" + suffix),
        DefineAuthChallenge = Lambda("define" + suffix), CreateAuthChallenge = Lambda("create" + suffix), VerifyAuthChallengeResponse = Lambda("verify" + suffix),
        PreTokenGeneration = Lambda("pre-token" + suffix), UserMigration = Lambda("migration" + suffix),
        PreTokenGenerationConfig = new PreTokenGenerationVersionConfigType { LambdaVersion = "V2_0", LambdaArn = Lambda("pre-token" + suffix) },
    };

    [Fact]
    public async Task A_pool_is_described_as_created_and_as_updated_field_by_field()
    {
        var create = new CreateUserPoolRequest
        {
            PoolName = Api.Unique("roundtrip"),
            Policies = new UserPoolPolicyType
            {
                PasswordPolicy = new PasswordPolicyType
                {
                    MinimumLength = 10, RequireUppercase = true, RequireLowercase = true, RequireNumbers = true, RequireSymbols = false,
                    PasswordHistorySize = 3, TemporaryPasswordValidityDays = 5,
                },
                SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD"] },
            },
            DeletionProtection = "ACTIVE",
            LambdaConfig = Lambdas("-1"),
            AutoVerifiedAttributes = ["email", "phone_number"],
            UsernameAttributes = ["email"],
            VerificationMessageTemplate = new VerificationMessageTemplateType
            {
                SmsMessage = "Your code is {####}", EmailMessage = "Your code is {####}.", EmailSubject = "Your code",
                EmailMessageByLink = "Click {##here##} to verify.", EmailSubjectByLink = "Verify", DefaultEmailOption = "CONFIRM_WITH_CODE",
            },
            SmsAuthenticationMessage = "Your sign-in code is {####}",
            MfaConfiguration = "OPTIONAL",
            UserAttributeUpdateSettings = new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = ["email"] },
            DeviceConfiguration = new DeviceConfigurationType { ChallengeRequiredOnNewDevice = true, DeviceOnlyRememberedOnUserPrompt = true },
            EmailConfiguration = new EmailConfigurationType
            {
                EmailSendingAccount = "DEVELOPER", SourceArn = "arn:aws:ses:us-east-1:000000000000:identity/noreply@example.com",
                From = "Example <noreply@example.com>", ReplyToEmailAddress = "help@example.com", ConfigurationSet = "portal-set",
            },
            SmsConfiguration = new SmsConfigurationType { SnsCallerArn = "arn:aws:iam::000000000000:role/sms-1", ExternalId = "ext-1", SnsRegion = "us-east-1" },
            UserPoolTags = new() { ["team"] = "identity" },
            AdminCreateUserConfig = new AdminCreateUserConfigType
            {
                AllowAdminCreateUserOnly = true,
                InviteMessageTemplate = new MessageTemplateType
                {
                    SMSMessage = "Hi {username}, your code is {####}", EmailMessage = "Hi {username}, your code is {####}", EmailSubject = "Welcome",
                },
            },
            Schema =
            [
                new SchemaAttributeType
                {
                    Name = "tenant", AttributeDataType = "String", Mutable = false, DeveloperOnlyAttribute = false,
                    StringAttributeConstraints = new StringAttributeConstraintsType { MinLength = "1", MaxLength = "64" },
                },
                new SchemaAttributeType
                {
                    Name = "level", AttributeDataType = "Number", Mutable = true,
                    NumberAttributeConstraints = new NumberAttributeConstraintsType { MinValue = "0", MaxValue = "9" },
                },
                new SchemaAttributeType { Name = "secret", AttributeDataType = "String", DeveloperOnlyAttribute = true },
                new SchemaAttributeType { Name = "email", AttributeDataType = "String", Required = true, Mutable = true },
            ],
            UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" },
            UsernameConfiguration = new UsernameConfigurationType { CaseSensitive = false },
            AccountRecoverySetting = new AccountRecoverySettingType
            {
                RecoveryMechanisms = [new RecoveryOptionType { Name = "verified_email", Priority = 1 }, new RecoveryOptionType { Name = "verified_phone_number", Priority = 2 }],
            },
            UserPoolTier = "PLUS",
        };
        var created = (await cognito.Send(create)).UserPool!;
        var described = await cognito.Describe(created.Id!);
        var renamed = new Dictionary<string, string> { ["PoolName"] = "Name" };
        AssertDescribed(create, created, renamed, "Schema");
        AssertDescribed(create, described, renamed, "Schema");
        // The schema as Cognito names it: custom:x, dev:custom:x for a developer-only attribute; standard ones keep their name.
        AssertDescribed(new { SchemaAttributes = create.Schema.Select(a => a with { Name = a.Name == "email" ? "email" : (a.DeveloperOnlyAttribute == true ? "dev:custom:" : "custom:") + a.Name }) },
            described);
        // Cognito keeps the older top-level messages in step with the template.
        Assert.Equal(("Your code is {####}", "Your code is {####}.", "Your code"),
            (described.SmsVerificationMessage, described.EmailVerificationMessage, described.EmailVerificationSubject));

        var update = new UpdateUserPoolRequest
        {
            UserPoolId = created.Id,
            PoolName = create.PoolName + "-renamed",
            Policies = new UserPoolPolicyType
            {
                PasswordPolicy = new PasswordPolicyType
                {
                    MinimumLength = 12, RequireUppercase = false, RequireLowercase = true, RequireNumbers = false, RequireSymbols = true,
                    PasswordHistorySize = 5, TemporaryPasswordValidityDays = 3,
                },
                SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "EMAIL_OTP"] },
            },
            DeletionProtection = "INACTIVE",
            LambdaConfig = Lambdas("-2"),
            AutoVerifiedAttributes = ["email"],
            VerificationMessageTemplate = new VerificationMessageTemplateType
            {
                SmsMessage = "Code: {####}", EmailMessage = "Code: {####}", EmailSubject = "Code",
                EmailMessageByLink = "Follow {##this link##}.", EmailSubjectByLink = "Confirm", DefaultEmailOption = "CONFIRM_WITH_LINK",
            },
            SmsAuthenticationMessage = "Sign-in code {####}",
            UserAttributeUpdateSettings = new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = [] },
            MfaConfiguration = "OFF",
            DeviceConfiguration = new DeviceConfigurationType { ChallengeRequiredOnNewDevice = false, DeviceOnlyRememberedOnUserPrompt = false },
            EmailConfiguration = new EmailConfigurationType { EmailSendingAccount = "COGNITO_DEFAULT", ReplyToEmailAddress = "support@example.com" },
            SmsConfiguration = new SmsConfigurationType { SnsCallerArn = "arn:aws:iam::000000000000:role/sms-2", ExternalId = "ext-2", SnsRegion = "eu-west-1" },
            UserPoolTags = new() { ["team"] = "platform", ["cost"] = "42" },
            AdminCreateUserConfig = new AdminCreateUserConfigType
            {
                AllowAdminCreateUserOnly = false,
                InviteMessageTemplate = new MessageTemplateType { SMSMessage = "{username}: {####}", EmailMessage = "{username}: {####}", EmailSubject = "Hello" },
            },
            UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "ENFORCED" },
            AccountRecoverySetting = new AccountRecoverySettingType { RecoveryMechanisms = [new RecoveryOptionType { Name = "verified_email", Priority = 1 }] },
            UserPoolTier = "PLUS",
        };
        await cognito.Send(update);
        var updated = await cognito.Describe(created.Id!);
        AssertDescribed(update, updated, renamed, "UserPoolId");
        Assert.Equal(("Code: {####}", "Code: {####}", "Code"), (updated.SmsVerificationMessage, updated.EmailVerificationMessage, updated.EmailVerificationSubject));
        // What an update cannot change stays as created.
        Assert.Equal(create.UsernameAttributes, updated.UsernameAttributes);
        Assert.Equal(false, updated.UsernameConfiguration!.CaseSensitive);
    }

    [Fact]
    public async Task The_older_verification_messages_fill_the_template()
    {
        var created = await cognito.NewPool(new CreateUserPoolRequest
        {
            SmsVerificationMessage = "Old sms {####}", EmailVerificationMessage = "Old email {####}", EmailVerificationSubject = "Old subject",
        });
        var described = await cognito.Describe(created.Id!);
        Assert.Equal(("Old sms {####}", "Old email {####}", "Old subject"),
            (described.VerificationMessageTemplate!.SmsMessage, described.VerificationMessageTemplate.EmailMessage, described.VerificationMessageTemplate.EmailSubject));
        Assert.Equal(("Old sms {####}", "Old email {####}", "Old subject"),
            (described.SmsVerificationMessage, described.EmailVerificationMessage, described.EmailVerificationSubject));
    }

    [Fact]
    public async Task An_app_client_is_described_as_created_and_as_updated_field_by_field()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String" }],
        });
        await cognito.Send(new CreateResourceServerRequest
        {
            UserPoolId = pool.Id, Identifier = "https://api.example.com", Name = "api",
            Scopes = [new ResourceServerScopeType { ScopeName = "read", ScopeDescription = "read" }],
        });
        var again = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateResourceServerRequest
        {
            UserPoolId = pool.Id, Identifier = "https://api.example.com", Name = "again",
        }));
        Assert.Equal($"https://api.example.com already exists in user pool {pool.Id}.", again.Message);
        var create = new CreateUserPoolClientRequest
        {
            UserPoolId = pool.Id, ClientName = "web", GenerateSecret = true,
            RefreshTokenValidity = 10, AccessTokenValidity = 2, IdTokenValidity = 3,
            TokenValidityUnits = new TokenValidityUnitsType { AccessToken = "hours", IdToken = "hours", RefreshToken = "days" },
            ReadAttributes = ["custom:tenant", "email", "email_verified", "name"], WriteAttributes = ["email", "name"],
            ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = ["https://app.example.com/callback", "https://app.example.com/other"], LogoutURLs = ["https://app.example.com/"],
            DefaultRedirectURI = "https://app.example.com/callback",
            AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid", "email", "https://api.example.com/read"], AllowedOAuthFlowsUserPoolClient = true,
            AnalyticsConfiguration = new AnalyticsConfigurationType
            {
                ApplicationId = "0123456789abcdef0123456789abcdef", RoleArn = "arn:aws:iam::000000000000:role/pinpoint", ExternalId = "pin", UserDataShared = true,
            },
            PreventUserExistenceErrors = "ENABLED", EnableTokenRevocation = true, EnablePropagateAdditionalUserContextData = false,
            AuthSessionValidity = 5,
        };
        var created = (await cognito.Send(create)).UserPoolClient!;
        var describe = new DescribeUserPoolClientRequest { UserPoolId = pool.Id, ClientId = created.ClientId };
        AssertDescribed(create, created, null, "GenerateSecret");
        AssertDescribed(create, (await cognito.Send(describe)).UserPoolClient!, null, "GenerateSecret");

        var update = new UpdateUserPoolClientRequest
        {
            UserPoolId = pool.Id, ClientId = created.ClientId, ClientName = "web-2",
            RefreshTokenValidity = 60, AccessTokenValidity = 30, IdTokenValidity = 45,
            TokenValidityUnits = new TokenValidityUnitsType { AccessToken = "minutes", IdToken = "minutes", RefreshToken = "minutes" },
            ReadAttributes = ["email"], WriteAttributes = ["name"],
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH"],
            SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = ["https://app.example.com/cb"], LogoutURLs = ["https://app.example.com/bye"], DefaultRedirectURI = "https://app.example.com/cb",
            AllowedOAuthFlows = ["code", "implicit"], AllowedOAuthScopes = ["openid", "profile"], AllowedOAuthFlowsUserPoolClient = true,
            AnalyticsConfiguration = new AnalyticsConfigurationType
            {
                ApplicationArn = "arn:aws:mobiletargeting:us-east-1:000000000000:apps/0123456789abcdef", UserDataShared = false,
            },
            PreventUserExistenceErrors = "LEGACY", EnableTokenRevocation = false, EnablePropagateAdditionalUserContextData = false,
            AuthSessionValidity = 15,
            RefreshTokenRotation = new RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = 10 },
        };
        await cognito.Send(update);
        AssertDescribed(update, (await cognito.Send(describe)).UserPoolClient!);
    }

    [Fact]
    public async Task A_custom_domain_is_accepted_described_and_updated()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { UserPoolTier = "ESSENTIALS" });
        var domain = $"auth.{Api.Unique("rt")}.example.com";
        var create = new CreateUserPoolDomainRequest
        {
            UserPoolId = pool.Id, Domain = domain, ManagedLoginVersion = 1,
            CustomDomainConfig = new CustomDomainConfigType { CertificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555" },
        };
        var answer = await cognito.Send(create);
        // Where the alias record points: Cognito's CloudFront distribution, Portal's own host.
        var host = new Uri(server.BaseUrl).Host;
        Assert.Equal(host, answer.CloudFrontDomain);
        var describe = new DescribeUserPoolDomainRequest { Domain = domain };
        var described = (await cognito.Send(describe)).DomainDescription!;
        AssertDescribed(create, described);
        Assert.Equal((host, "ACTIVE"), (described.CloudFrontDistribution, described.Status));
        Assert.Equal(domain, (await cognito.Describe(pool.Id!)).CustomDomain);

        var update = new UpdateUserPoolDomainRequest
        {
            UserPoolId = pool.Id, Domain = domain, ManagedLoginVersion = 2,
            CustomDomainConfig = new CustomDomainConfigType { CertificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/66666666-7777-8888-9999-000000000000" },
        };
        Assert.Equal(host, (await cognito.Send(update)).CloudFrontDomain);
        AssertDescribed(update, (await cognito.Send(describe)).DomainDescription!);

        // A prefix domain is a single label: a dotted name needs CustomDomainConfig.
        var dotted = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateUserPoolDomainRequest
        {
            UserPoolId = pool.Id, Domain = "login.example.com",
        }));
        Assert.StartsWith("1 validation error detected: Value 'login.example.com' at 'domain' failed to satisfy constraint", dotted.Message);
    }

    [Fact]
    public async Task A_custom_domain_is_served_host_based()
    {
        var pool = await cognito.NewPool();
        var client = (await cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool.Id, ClientName = "web", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"],
            AllowedOAuthScopes = ["openid"], CallbackURLs = ["https://app.example.com/callback"], SupportedIdentityProviders = ["COGNITO"],
        })).UserPoolClient!;
        // Under *.localhost, which Development's host filter lets in (a deployment adds its custom domains to AllowedHosts).
        var domain = $"auth.{Api.Unique("cd")}.localhost";
        await cognito.Send(new CreateUserPoolDomainRequest
        {
            UserPoolId = pool.Id, Domain = domain,
            CustomDomainConfig = new CustomDomainConfigType { CertificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555" },
        });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"{server.BaseUrl}/oauth2/authorize?client_id={client.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString("https://app.example.com/callback")}");
        request.Headers.Host = domain;
        var answer = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, answer.StatusCode);
        // Host-based: the sign-in page is at the root of the custom domain, not under /{domain}.
        Assert.StartsWith($"/login?client_id={client.ClientId}", answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
