using System.Net;
using Portal.Client.Contract;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>Terms documents (CreateTerms ... ListTerms) over the wire and on the hosted sign-up page; the legacy MFA
/// settings (SetUserSettings, AdminSetUserSettings) turning SMS MFA on and off.</summary>
[Collection(ServerCollection.Name)]
public sealed class TermsAndUserSettingsTests(PortalServer server)
{
    readonly AuthKit kit = new(server);
    const string Callback = "https://app.example.com/callback";

    async Task<(AuthKit.App App, string Domain)> HostedApp()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid"],
            CallbackURLs = [Callback], SupportedIdentityProviders = ["COGNITO"],
        });
        var domain = PortalServer.Unique("terms");
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        return (app, domain);
    }

    Task<string> SignUpPage(AuthKit.App app, string domain, string locale = "en") => kit.Http.GetStringAsync(
        $"{server.BaseUrl}/{domain}/signup?client_id={app.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(Callback)}&ui_locales={locale}");

    [Fact]
    public async Task Terms_round_trip_and_one_document_of_each_kind_per_client()
    {
        var (app, _) = await HostedApp();
        var created = (await kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "terms-of-use", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["cognito:default"] = "https://example.com/terms", ["cognito:german"] = "https://example.com/de/agb" },
        })).Terms!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", created.TermsId!);
        Assert.Equal((app.PoolId, app.ClientId, "terms-of-use", "LINK", "NONE"), (created.UserPoolId, created.ClientId, created.TermsName, created.TermsSource, created.Enforcement));

        var described = (await kit.Admin.Send(new DescribeTermsRequest { UserPoolId = app.PoolId, TermsId = created.TermsId })).Terms!;
        Assert.Equal(created.Links, described.Links);
        Assert.Equal((created.CreationDate, created.LastModifiedDate), (described.CreationDate, described.LastModifiedDate));

        var again = await Assert.ThrowsAsync<TermsExistsException>(() => kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "terms-of-use", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["cognito:default"] = "https://example.com/other" },
        }));
        Assert.Contains("terms-of-use", again.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "privacy-policy", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["klingon"] = "https://example.com/p" },
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "cookies", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["cognito:default"] = "https://example.com/p" },
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "privacy-policy", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["cognito:default"] = "javascript:alert(1)" },
        }));

        var updated = (await kit.Admin.Send(new UpdateTermsRequest
        {
            UserPoolId = app.PoolId, TermsId = created.TermsId, Links = new() { ["cognito:default"] = "https://example.com/terms-v2" },
        })).Terms!;
        Assert.Equal(new Dictionary<string, string> { ["cognito:default"] = "https://example.com/terms-v2" }, updated.Links);
        Assert.Equal("terms-of-use", updated.TermsName);
        var listed = Assert.Single((await kit.Admin.Send(new ListTermsRequest { UserPoolId = app.PoolId })).Terms!);
        Assert.Equal((created.TermsId, "terms-of-use", "NONE"), (listed.TermsId, listed.TermsName, listed.Enforcement));

        await kit.Admin.Send(new DeleteTermsRequest { UserPoolId = app.PoolId, TermsId = created.TermsId });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DescribeTermsRequest { UserPoolId = app.PoolId, TermsId = created.TermsId }));
        Assert.Empty((await kit.Admin.Send(new ListTermsRequest { UserPoolId = app.PoolId })).Terms!);
    }

    [Fact]
    public async Task The_sign_up_page_links_both_documents_in_the_pages_language_once_both_exist()
    {
        var (app, domain) = await HostedApp();
        await kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "terms-of-use", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["cognito:default"] = "https://example.com/terms", ["cognito:german"] = "https://example.com/de/agb" },
        });
        Assert.DoesNotContain("https://example.com/terms", await SignUpPage(app, domain));

        await kit.Admin.Send(new CreateTermsRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, TermsName = "privacy-policy", TermsSource = "LINK", Enforcement = "NONE",
            Links = new() { ["cognito:default"] = "https://example.com/privacy" },
        });
        var english = await SignUpPage(app, domain);
        Assert.Contains("href=\"https://example.com/terms\"", english);
        Assert.Contains("href=\"https://example.com/privacy\"", english);
        Assert.Contains("Terms of use", english);
        var german = await SignUpPage(app, domain, "de");
        Assert.Contains("href=\"https://example.com/de/agb\"", german);
        Assert.Contains("href=\"https://example.com/privacy\"", german);
    }

    [Fact]
    public async Task Legacy_MFAOptions_turn_SMS_MFA_on_and_off()
    {
        var app = await kit.Pool(new CreateUserPoolRequest { SmsConfiguration = new SmsConfigurationType { SnsCallerArn = "arn:aws:iam::123456789012:role/sms" } });
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, MfaConfiguration = "OPTIONAL", SmsMfaConfiguration = new SmsMfaConfigType { SmsAuthenticationMessage = "Code {####}" },
        });
        await kit.User(app.PoolId, "ana", attributes: [("phone_number", "+15555550100")]);
        await kit.User(app.PoolId, "bo");

        await kit.Admin.Send(new AdminSetUserSettingsRequest
        {
            UserPoolId = app.PoolId, Username = "ana", MFAOptions = [new MFAOptionType { DeliveryMedium = "SMS", AttributeName = "phone_number" }],
        });
        var ana = await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = app.PoolId, Username = "ana" });
        Assert.Equal("SMS", Assert.Single(ana.MFAOptions!).DeliveryMedium);
        Assert.Contains("SMS_MFA", ana.UserMFASettingList!);
        Assert.Equal("SMS_MFA", (await kit.PasswordSignIn(app, "ana")).ChallengeName);

        var noPhone = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new AdminSetUserSettingsRequest
        {
            UserPoolId = app.PoolId, Username = "bo", MFAOptions = [new MFAOptionType { DeliveryMedium = "SMS", AttributeName = "phone_number" }],
        }));
        Assert.Equal("User does not have delivery config set to turn on SMS_MFA", noPhone.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new AdminSetUserSettingsRequest
        {
            UserPoolId = app.PoolId, Username = "ana", MFAOptions = [new MFAOptionType { DeliveryMedium = "EMAIL", AttributeName = "email" }],
        }));
        await Assert.ThrowsAsync<UserNotFoundException>(() => kit.Admin.Send(new AdminSetUserSettingsRequest
        {
            UserPoolId = app.PoolId, Username = "nobody", MFAOptions = [],
        }));

        // A user sets their own settings with their access token (bo has no SMS MFA, so signs in without a code).
        var bo = (await kit.PasswordSignIn(app, "bo")).AuthenticationResult!;
        await kit.Anonymous.Send(new SetUserSettingsRequest { AccessToken = bo.AccessToken, MFAOptions = [] });
        await kit.Admin.Send(new AdminSetUserSettingsRequest { UserPoolId = app.PoolId, Username = "ana", MFAOptions = [] });
        var off = await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = app.PoolId, Username = "ana" });
        Assert.Null(off.MFAOptions);
        Assert.NotNull((await kit.PasswordSignIn(app, "ana")).AuthenticationResult);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new SetUserSettingsRequest { AccessToken = "not-a-token", MFAOptions = [] }));
    }
}
