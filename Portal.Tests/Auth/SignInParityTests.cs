using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.UserPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>
/// One sign-in engine: the same kind of user signs in through the API (InitiateAuth / RespondToAuthChallenge) and through
/// the hosted UI's forms (HTTP posts against the server, as a browser sends them), and both doors give the same outcome:
/// a wrong password, the lockout (one counter for both), NEW_PASSWORD_REQUIRED with an attribute the app client may not
/// write, MFA by authenticator, SMS and email, the user migration trigger, and a passwordless code by email.
/// </summary>
[Collection(ClockedCollection.Name)]
public sealed class SignInParityTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);
    const string Callback = "https://app.example/callback";

    sealed record Hosted(AuthKit.App App, string Domain);

    async Task<Hosted> Pool(CreateUserPoolRequest? pool = null, CreateUserPoolClientRequest? client = null)
    {
        var app = await kit.Pool(pool, (client ?? new CreateUserPoolClientRequest()) with
        {
            AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthFlows = ["code"],
            AllowedOAuthScopes = ["openid", "email"],
            CallbackURLs = [Callback],
            SupportedIdentityProviders = ["COGNITO"],
        });
        var domain = "parity-" + Guid.NewGuid().ToString("n")[..10];
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        return new Hosted(app, domain);
    }

    /// <summary>What a page answered: a redirect (to the app, with a code, once signed in) or a page and its text.</summary>
    sealed record Answer(HttpStatusCode Status, string? Location, string Html)
    {
        /// <summary>Back at the app with a code and the app's own state (which the pages' fields must not disturb).</summary>
        public bool SignedIn => Location?.StartsWith(Callback + "?code=", StringComparison.Ordinal) == true
                                && Location.Contains("state=app-state-1", StringComparison.Ordinal);
        public string Text => WebUtility.HtmlDecode(Html);
    }

    /// <summary>A browser on the hosted UI: cookies, the antiforgery token and the hidden fields of the page it shows.</summary>
    sealed class Browser(string baseUrl, Hosted hosted)
    {
        readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        string page = "";

        string LoginUrl => $"{baseUrl}/{hosted.Domain}/login?client_id={hosted.App.ClientId}&response_type=code&scope=openid"
                           + $"&redirect_uri={Uri.EscapeDataString(Callback)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=app-state-1";

        public async Task<Answer> Login(string username, string? password = null, string? factor = null)
        {
            page = await http.GetStringAsync(LoginUrl);
            var fields = new Dictionary<string, string> { ["username"] = username };
            if (password is not null) fields["password"] = password;
            if (factor is not null) fields["factor"] = factor;
            return await Submit(fields);
        }

        /// <summary>Sends the form of the page shown, with its hidden fields and these.</summary>
        public async Task<Answer> Submit(Dictionary<string, string> fields)
        {
            var form = Regex.Match(page, "<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
            Assert.True(form.Success, "The page has no form: " + page);
            var values = new Dictionary<string, string>();
            foreach (Match input in Regex.Matches(form.Groups[2].Value, "<input[^>]*>"))
            {
                var tag = input.Value;
                if (!tag.Contains("type=\"hidden\"", StringComparison.Ordinal)) continue;
                var name = Regex.Match(tag, "name=\"([^\"]+)\"").Groups[1].Value;
                values[name] = WebUtility.HtmlDecode(Regex.Match(tag, "value=\"([^\"]*)\"").Groups[1].Value);
            }
            foreach (var (k, v) in fields) values[k] = v;
            var action = WebUtility.HtmlDecode(form.Groups[1].Value);
            var response = await http.PostAsync(action.StartsWith("http", StringComparison.Ordinal) ? action : baseUrl + action, new FormUrlEncodedContent(values));
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Redirect) page = html;
            return new Answer(response.StatusCode, response.Headers.Location?.ToString(), html);
        }
    }

    Browser Open(Hosted h) => new(server.BaseUrl, h);

    Task<int> Failures(Hosted h, string username) => kit.Db(db => db.Users.AsNoTracking()
        .Where(u => u.UserPoolId == h.App.PoolId && u.UsernameKey == username.ToLowerInvariant()).Select(u => u.FailedSignIns).SingleAsync());

    static async Task<string> Refusal(Func<Task> api)
    {
        var e = await Assert.ThrowsAnyAsync<CognitoException>(api);
        return $"{e.Type}: {e.Message}";
    }

    Task<RespondToAuthChallengeResponse> Respond(Hosted h, string challenge, string? session, Dictionary<string, string> responses) =>
        kit.Anonymous.Send(new RespondToAuthChallengeRequest { ClientId = h.App.ClientId, ChallengeName = challenge, Session = session, ChallengeResponses = responses });

    Task<string> Sent(string destination, int digits = 6) => kit.Db(async db =>
    {
        var row = await db.Outbox.AsNoTracking().Where(m => m.Destination == destination).OrderByDescending(m => m.CreatedAt).FirstAsync();
        return Regex.Match(row.Body, $@"\b\d{{{digits}}}\b").Value;
    });

    static string Wrong(string code) => code.All(c => c == '0') ? new string('1', code.Length) : new string('0', code.Length);

    const string IncorrectPassword = "Incorrect username or password.";
    const string HostedLocked = "Too many failed attempts. Wait a few minutes, then try again.";
    const string HostedWrongCode = "That code is not right. Check it and try again.";

    [Fact]
    public async Task A_wrong_password_is_refused_alike_and_counted_on_both_paths()
    {
        var h = await Pool();
        await kit.User(h.App.PoolId, "ana");

        Assert.Equal($"NotAuthorizedException: {IncorrectPassword}", await Refusal(() => kit.PasswordSignIn(h.App, "ana", "Wrong-Passw0rd")));
        Assert.Equal(1, await Failures(h, "ana"));
        var hosted = await Open(h).Login("ana", "Wrong-Passw0rd");
        Assert.Equal(HttpStatusCode.BadRequest, hosted.Status);
        Assert.Contains(IncorrectPassword, hosted.Text);
        Assert.Equal(2, await Failures(h, "ana"));

        // A name nobody has gets the same answer on both paths.
        Assert.Equal($"NotAuthorizedException: {IncorrectPassword}", await Refusal(() => kit.PasswordSignIn(h.App, "nobody-ana", "Wrong-Passw0rd")));
        Assert.Contains(IncorrectPassword, (await Open(h).Login("nobody-ana", "Wrong-Passw0rd")).Text);

        // The right password on either path signs in and forgets the failures.
        Assert.True((await Open(h).Login("ana", AuthKit.Password)).SignedIn);
        Assert.Equal(0, await Failures(h, "ana"));
        Assert.NotNull((await kit.PasswordSignIn(h.App, "ana")).AuthenticationResult?.AccessToken);
    }

    [Fact]
    public async Task The_lockout_is_one_counter_for_both_paths_and_locks_at_the_same_attempt()
    {
        var h = await Pool();
        foreach (var name in new[] { "lou-api", "lou-hosted", "lou-both" }) await kit.User(h.App.PoolId, name);

        async Task<bool> ApiLocked(string name)
        {
            var refusal = await Refusal(() => kit.PasswordSignIn(h.App, name, "Wrong-Passw0rd"));
            Assert.Contains(refusal, new[] { $"NotAuthorizedException: {IncorrectPassword}", "NotAuthorizedException: Password attempts exceeded" });
            return refusal.EndsWith("Password attempts exceeded", StringComparison.Ordinal);
        }
        async Task<bool> HostedLockedOut(string name)
        {
            var text = (await Open(h).Login(name, "Wrong-Passw0rd")).Text;
            Assert.True(text.Contains(IncorrectPassword) || text.Contains(HostedLocked), text);
            return text.Contains(HostedLocked);
        }
        async Task<int> LockedAt(Func<int, Task<bool>> attempt)
        {
            for (var i = 1; i <= SignInLockout.FreeAttempts + 3; i++)
                if (await attempt(i)) return i;
            return -1;
        }

        var api = await LockedAt(_ => ApiLocked("lou-api"));
        var hostedOnly = await LockedAt(_ => HostedLockedOut("lou-hosted"));
        var both = await LockedAt(i => i % 2 == 0 ? ApiLocked("lou-both") : HostedLockedOut("lou-both"));
        Assert.Equal(SignInLockout.FreeAttempts + 1, api);
        Assert.Equal(api, hostedOnly);
        Assert.Equal(api, both);

        // Locked on one path is locked on the other, even with the right password.
        Assert.Equal("NotAuthorizedException: Password attempts exceeded", await Refusal(() => kit.PasswordSignIn(h.App, "lou-hosted")));
        Assert.Contains(HostedLocked, (await Open(h).Login("lou-api", AuthKit.Password)).Text);
    }

    [Fact]
    public async Task A_new_password_with_a_required_attribute_the_client_may_not_write_is_refused_on_both_paths()
    {
        var h = await Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "name", AttributeDataType = "String", Required = true, Mutable = true }],
        }, new CreateUserPoolClientRequest { WriteAttributes = ["email"] });
        foreach (var name in new[] { "nia-api", "nia-hosted" })
        {
            await kit.User(h.App.PoolId, name, "Temp-Passw0rd", permanent: false, attributes: [("name", "Nia")]);
            await kit.Change(h.App.PoolId, name, u => UserStore.SetAttributes(u, [new("name", null)]));
        }

        var challenge = await kit.PasswordSignIn(h.App, "nia-api", "Temp-Passw0rd");
        Assert.Equal(ChallengeName.NewPasswordRequired, challenge.ChallengeName);
        Assert.Equal("[\"userAttributes.name\"]", challenge.ChallengeParameters!["requiredAttributes"]);
        Assert.Equal("NotAuthorizedException: A client attempted to write unauthorized attribute", await Refusal(() => Respond(h, ChallengeName.NewPasswordRequired,
            challenge.Session, new() { ["USERNAME"] = "nia-api", ["NEW_PASSWORD"] = "New-Passw0rd!", ["userAttributes.name"] = "Nia Api" })));

        var browser = Open(h);
        var page = await browser.Login("nia-hosted", "Temp-Passw0rd");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("name=\"name\"", page.Html); // the page asks for the required attribute
        var refused = await browser.Submit(new() { ["password"] = "New-Passw0rd!", ["confirmPassword"] = "New-Passw0rd!", ["name"] = "Nia Hosted" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("This app may not set this value.", refused.Text);

        foreach (var name in new[] { "nia-api", "nia-hosted" })
        {
            var user = await kit.Row(h.App.PoolId, name);
            Assert.Equal("FORCE_CHANGE_PASSWORD", user.Status);
            Assert.False(UserStore.Attributes(user).ContainsKey("name"));
        }
    }

    [Fact]
    public async Task A_new_address_given_on_the_new_password_page_is_not_a_verified_one_on_both_paths()
    {
        var h = await Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "email", AttributeDataType = "String", Required = true, Mutable = true }],
        });
        foreach (var name in new[] { "ned-api", "ned-hosted" })
        {
            await kit.User(h.App.PoolId, name, "Temp-Passw0rd", permanent: false, attributes: [("email", "old@example.com"), ("email_verified", "true")]);
            await kit.Change(h.App.PoolId, name, u => UserStore.SetAttributes(u, [new("email", null)]));
        }

        var challenge = await kit.PasswordSignIn(h.App, "ned-api", "Temp-Passw0rd");
        var done = await Respond(h, ChallengeName.NewPasswordRequired, challenge.Session,
            new() { ["USERNAME"] = "ned-api", ["NEW_PASSWORD"] = "New-Passw0rd!", ["userAttributes.email"] = "ned-api@example.com" });
        Assert.NotNull(done.AuthenticationResult?.AccessToken);

        var browser = Open(h);
        await browser.Login("ned-hosted", "Temp-Passw0rd");
        var signed = await browser.Submit(new() { ["password"] = "New-Passw0rd!", ["confirmPassword"] = "New-Passw0rd!", ["email"] = "ned-hosted@example.com" });
        Assert.True(signed.SignedIn, signed.Text);

        foreach (var name in new[] { "ned-api", "ned-hosted" })
        {
            var attributes = UserStore.Attributes(await kit.Row(h.App.PoolId, name));
            Assert.Equal($"{name}@example.com", attributes["email"]);
            Assert.Equal("false", attributes["email_verified"]);
        }
    }

    string Totp(string secret) => Mfa.Totp(Mfa.FromBase32(secret), server.Clock.GetUtcNow().ToUnixTimeSeconds() / 30);

    [Fact]
    public async Task An_authenticator_code_is_asked_after_the_password_on_both_paths_and_a_wrong_one_counts()
    {
        var h = await Pool();
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = h.App.PoolId, MfaConfiguration = "OPTIONAL", SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
        });
        var secrets = new Dictionary<string, string>();
        foreach (var name in new[] { "tia-api", "tia-hosted" })
        {
            await kit.User(h.App.PoolId, name);
            var access = (await kit.PasswordSignIn(h.App, name)).AuthenticationResult!.AccessToken!;
            var secret = (await kit.Anonymous.Send(new AssociateSoftwareTokenRequest { AccessToken = access })).SecretCode!;
            await kit.Anonymous.Send(new VerifySoftwareTokenRequest { AccessToken = access, UserCode = Totp(secret) });
            await kit.Anonymous.Send(new SetUserMFAPreferenceRequest
            {
                AccessToken = access, SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true },
            });
            secrets[name] = secret;
        }
        server.Clock.Advance(TimeSpan.FromSeconds(30)); // the codes used to set up are spent

        var challenge = await kit.PasswordSignIn(h.App, "tia-api");
        Assert.Equal(ChallengeName.SoftwareTokenMfa, challenge.ChallengeName);
        var code = new Dictionary<string, string> { ["USERNAME"] = "tia-api", ["SOFTWARE_TOKEN_MFA_CODE"] = Wrong(Totp(secrets["tia-api"])) };
        Assert.StartsWith("CodeMismatchException", await Refusal(() => Respond(h, ChallengeName.SoftwareTokenMfa, challenge.Session, code)));
        Assert.Equal(1, await Failures(h, "tia-api"));
        code["SOFTWARE_TOKEN_MFA_CODE"] = Totp(secrets["tia-api"]);
        Assert.NotNull((await Respond(h, ChallengeName.SoftwareTokenMfa, challenge.Session, code)).AuthenticationResult?.AccessToken);
        Assert.Equal(0, await Failures(h, "tia-api"));

        var browser = Open(h);
        var page = await browser.Login("tia-hosted", AuthKit.Password);
        Assert.Contains("Enter the 6-digit code from your authenticator app.", page.Text);
        var wrong = await browser.Submit(new() { ["code"] = Wrong(Totp(secrets["tia-hosted"])) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains(HostedWrongCode, wrong.Text);
        Assert.Equal(1, await Failures(h, "tia-hosted"));
        Assert.True((await browser.Submit(new() { ["code"] = Totp(secrets["tia-hosted"]) })).SignedIn);
        Assert.Equal(0, await Failures(h, "tia-hosted"));
    }

    [Fact]
    public async Task Codes_by_sms_and_by_email_after_the_password_sign_in_on_both_paths()
    {
        var h = await Pool(new CreateUserPoolRequest
        {
            SmsConfiguration = new SmsConfigurationType { SnsCallerArn = "arn:aws:iam::123456789012:role/sms" }, SmsAuthenticationMessage = "Shop code {####}",
        });
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = h.App.PoolId, MfaConfiguration = "OPTIONAL",
            SmsMfaConfiguration = new SmsMfaConfigType { SmsAuthenticationMessage = "Shop code {####}" },
            EmailMfaConfiguration = new EmailMfaConfigType { Subject = "Shop sign-in", Message = "Your Shop code is {####}" },
        });
        var phones = new Dictionary<string, string> { ["sam-api"] = "+15555550161", ["sam-hosted"] = "+15555550162" };
        foreach (var (name, phone) in phones)
        {
            await kit.User(h.App.PoolId, name, attributes: [("email", $"{name}@example.com"), ("phone_number", phone)]);
            await kit.Admin.Send(new AdminSetUserMFAPreferenceRequest
            {
                UserPoolId = h.App.PoolId, Username = name, SMSMfaSettings = new SMSMfaSettingsType { Enabled = true, PreferredMfa = true },
                EmailMfaSettings = new EmailMfaSettingsType { Enabled = true },
            });
        }

        async Task Api(string factor, string destination)
        {
            var challenge = await kit.PasswordSignIn(h.App, "sam-api");
            Assert.Equal(factor, challenge.ChallengeName);
            var code = new Dictionary<string, string> { ["USERNAME"] = "sam-api", [factor + "_CODE"] = Wrong(await Sent(destination)) };
            Assert.StartsWith("CodeMismatchException", await Refusal(() => Respond(h, factor, challenge.Session, code)));
            code[factor + "_CODE"] = await Sent(destination);
            Assert.NotNull((await Respond(h, factor, challenge.Session, code)).AuthenticationResult?.AccessToken);
        }
        async Task Hosted(string destination)
        {
            var browser = Open(h);
            var page = await browser.Login("sam-hosted", AuthKit.Password);
            Assert.Contains("We sent a code to", page.Text);
            var wrong = await browser.Submit(new() { ["code"] = Wrong(await Sent(destination)) });
            Assert.Contains(HostedWrongCode, wrong.Text);
            Assert.True((await browser.Submit(new() { ["code"] = await Sent(destination) })).SignedIn);
        }

        await Api(ChallengeName.SmsMfa, phones["sam-api"]);
        await Hosted(phones["sam-hosted"]);

        foreach (var name in phones.Keys)
            await kit.Admin.Send(new AdminSetUserMFAPreferenceRequest
            {
                UserPoolId = h.App.PoolId, Username = name, SMSMfaSettings = new SMSMfaSettingsType { Enabled = true, PreferredMfa = false },
                EmailMfaSettings = new EmailMfaSettingsType { Enabled = true, PreferredMfa = true },
            });
        await Api(ChallengeName.EmailOtp, "sam-api@example.com");
        await Hosted("sam-hosted@example.com");
    }

    [Fact]
    public async Task The_user_migration_trigger_vouches_for_an_old_directorys_user_on_both_paths()
    {
        var h = await Pool();
        await kit.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = h.App.PoolId, Trigger = "UserMigration", Kind = TriggerTargetKinds.Inline, Code = """
                exports.handler = async (event) => {
                  if (event.request.password !== "Legacy-Passw0rd") throw new Error("Bad password");
                  event.response.userAttributes = { email: event.userName + "@legacy.example", email_verified: "true" };
                  event.response.finalUserStatus = "CONFIRMED";
                  event.response.messageAction = "SUPPRESS";
                  return event;
                };
                """,
        });

        Assert.Equal("UserLambdaValidationException: UserMigration failed with error Bad password.",
            await Refusal(() => kit.PasswordSignIn(h.App, "old-api", "Wrong-Passw0rd")));
        Assert.Contains("UserMigration failed with error Bad password.", (await Open(h).Login("old-hosted", "Wrong-Passw0rd")).Text);

        Assert.NotNull((await kit.PasswordSignIn(h.App, "old-api", "Legacy-Passw0rd")).AuthenticationResult?.AccessToken);
        Assert.True((await Open(h).Login("old-hosted", "Legacy-Passw0rd")).SignedIn);
        foreach (var name in new[] { "old-api", "old-hosted" })
        {
            var user = await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = h.App.PoolId, Username = name });
            Assert.Equal("CONFIRMED", user.UserStatus);
            Assert.Contains(user.UserAttributes!, a => a.Name == "email" && a.Value == $"{name}@legacy.example");
        }
    }

    [Fact]
    public async Task A_code_by_email_instead_of_the_password_signs_in_on_both_paths()
    {
        var h = await Pool(new CreateUserPoolRequest
        {
            UserPoolTier = "ESSENTIALS",
            Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "EMAIL_OTP"] } },
        });
        foreach (var name in new[] { "pia-api", "pia-hosted" })
            await kit.User(h.App.PoolId, name, attributes: [("email", $"{name}@example.com"), ("email_verified", "true")]);

        var challenge = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = h.App.ClientId, AuthFlow = AuthFlow.UserAuth, AuthParameters = new() { ["USERNAME"] = "pia-api", ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" },
        });
        Assert.Equal(ChallengeName.EmailOtp, challenge.ChallengeName);
        var code = await Sent("pia-api@example.com", digits: 8);
        var answer = new Dictionary<string, string> { ["USERNAME"] = "pia-api", ["EMAIL_OTP_CODE"] = Wrong(code) };
        Assert.StartsWith("CodeMismatchException", await Refusal(() => Respond(h, ChallengeName.EmailOtp, challenge.Session, answer)));
        answer["EMAIL_OTP_CODE"] = code;
        Assert.NotNull((await Respond(h, ChallengeName.EmailOtp, challenge.Session, answer)).AuthenticationResult?.AccessToken);

        var browser = Open(h);
        var page = await browser.Login("pia-hosted", factor: "EMAIL_OTP");
        Assert.Contains("We sent a sign-in code to", page.Text);
        var hostedCode = await Sent("pia-hosted@example.com", digits: 8);
        Assert.Contains(HostedWrongCode, (await browser.Submit(new() { ["code"] = Wrong(hostedCode) })).Text);
        Assert.True((await browser.Submit(new() { ["code"] = hostedCode })).SignedIn);

        // No code for a name nobody has, on either path.
        var unknown = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = h.App.ClientId, AuthFlow = AuthFlow.UserAuth, AuthParameters = new() { ["USERNAME"] = "nobody-pia", ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" },
        });
        Assert.Equal(ChallengeName.SelectChallenge, unknown.ChallengeName);
        Assert.Contains("We can't send a sign-in code for this account.", (await Open(h).Login("nobody-pia", factor: "EMAIL_OTP")).Text);
    }
}
