using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.HostedUi;
using Portal.Server.UserPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The lockout attacked as an attacker would: who knows the password guesses the second factor across fresh
/// sign-ins, and parallel guesses race the counter. On a server whose clock stands still, so a lock holds.</summary>
[Collection(ClockedCollection.Name)]
public class LockoutAttackTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);
    const string Exceeded = "Password attempts exceeded";

    string Totp(string secret) => Mfa.Totp(Mfa.FromBase32(secret), server.Clock.GetUtcNow().ToUnixTimeSeconds() / 30);
    static string Wrong(string code) => code == "000000" ? "111111" : "000000";

    /// <summary>A user with an authenticator as their preferred factor; returns its secret.</summary>
    async Task<string> WithAuthenticator(AuthKit.App app, string username)
    {
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, MfaConfiguration = "OPTIONAL", SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
        });
        await kit.User(app.PoolId, username);
        var access = (await kit.PasswordSignIn(app, username)).AuthenticationResult!.AccessToken!;
        var secret = (await kit.Anonymous.Send(new AssociateSoftwareTokenRequest { AccessToken = access })).SecretCode!;
        await kit.Anonymous.Send(new VerifySoftwareTokenRequest { AccessToken = access, UserCode = Totp(secret) });
        await kit.Anonymous.Send(new SetUserMFAPreferenceRequest
        {
            AccessToken = access, SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true },
        });
        return secret;
    }

    Task<RespondToAuthChallengeResponse> Code(AuthKit.App app, string? session, string username, string code) =>
        kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "SOFTWARE_TOKEN_MFA", Session = session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["SOFTWARE_TOKEN_MFA_CODE"] = code },
        });

    [Fact]
    public async Task Who_knows_the_password_cannot_guess_the_authenticator_code_by_signing_in_again_and_again()
    {
        var app = await kit.Pool();
        var secret = await WithAuthenticator(app, "mallory-target");
        var wrong = Wrong(Totp(secret));
        var checkedCodes = 0;
        var locked = false;
        for (var round = 0; round < 10 && !locked; round++)
        {
            InitiateAuthResponse challenge;
            try
            {
                challenge = await kit.PasswordSignIn(app, "mallory-target");
            }
            catch (NotAuthorizedException e) when (e.Message == Exceeded)
            {
                locked = true;
                break;
            }
            Assert.Equal("SOFTWARE_TOKEN_MFA", challenge.ChallengeName);
            for (var guess = 0; guess < 4; guess++)
            {
                try
                {
                    await Code(app, challenge.Session, "mallory-target", wrong);
                    Assert.Fail("A wrong code signed in.");
                }
                catch (CodeMismatchException) { checkedCodes++; }
                catch (NotAuthorizedException) { } // the session ended after its wrong codes, or the user is locked
            }
        }
        Assert.True(locked, "Signing in again with the right password kept buying fresh guesses at the code.");
        Assert.InRange(checkedCodes, 1, SignInLockout.FreeAttempts);
        // Locked: the right code cannot be tried either, on any new sign-in.
        Assert.Equal(Exceeded, (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "mallory-target"))).Message);
    }

    [Fact]
    public async Task One_MFA_session_takes_three_wrong_codes_and_then_ends()
    {
        var app = await kit.Pool();
        var secret = await WithAuthenticator(app, "three-tries");
        var challenge = await kit.PasswordSignIn(app, "three-tries");
        for (var i = 0; i < SignIn.MfaCodesPerSession; i++)
            await Assert.ThrowsAsync<CodeMismatchException>(() => Code(app, challenge.Session, "three-tries", Wrong(Totp(secret))));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => Code(app, challenge.Session, "three-tries", Totp(secret)));
    }

    [Fact]
    public async Task Parallel_wrong_codes_on_one_session_are_checked_no_more_than_the_lockout_allows()
    {
        var app = await kit.Pool();
        var secret = await WithAuthenticator(app, "parallel-codes");
        var challenge = await kit.PasswordSignIn(app, "parallel-codes");
        var wrong = Wrong(Totp(secret));
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try { await Code(app, challenge.Session, "parallel-codes", wrong); return "signed in"; }
            catch (CognitoException e) { return e.Type; }
        }));
        Assert.DoesNotContain("signed in", answers);
        Assert.InRange(answers.Count(a => a == nameof(CodeMismatchException)), 1, SignInLockout.FreeAttempts);
    }

    [Fact]
    public async Task Forty_parallel_wrong_passwords_check_no_more_passwords_than_the_lockout_allows()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "raced");
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            try { await kit.PasswordSignIn(app, "raced", "Wrong-Passw0rd"); return "signed in"; }
            catch (CognitoException e) { return e.Message; }
        }));
        Assert.DoesNotContain("signed in", answers);
        var checkedPasswords = answers.Count(a => a == "Incorrect username or password.");
        Assert.InRange(checkedPasswords, 1, SignInLockout.FreeAttempts);
        // No answer wrote a stale count back: the row holds every counted failure.
        Assert.True((await kit.Row(app.PoolId, "raced")).FailedSignIns >= SignInLockout.FreeAttempts);
        Assert.All(answers, a => Assert.Contains(a, new[] { "Incorrect username or password.", Exceeded }));
        Assert.Equal(Exceeded, (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "raced"))).Message);
    }

    [Fact]
    public async Task Wrong_previous_passwords_in_ChangePassword_count_toward_the_lockout()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "stolen-token");
        var access = (await kit.PasswordSignIn(app, "stolen-token")).AuthenticationResult!.AccessToken!;
        for (var i = 0; i < SignInLockout.FreeAttempts; i++)
            await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new ChangePasswordRequest
            {
                AccessToken = access, PreviousPassword = $"Guess-{i}-Passw0rd", ProposedPassword = "New-Passw0rd!x",
            }));
        await Assert.ThrowsAsync<LimitExceededException>(() => kit.Anonymous.Send(new ChangePasswordRequest
        {
            AccessToken = access, PreviousPassword = AuthKit.Password, ProposedPassword = "New-Passw0rd!x",
        }));
        Assert.Equal(Exceeded, (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "stolen-token"))).Message);
    }

    static async Task<(string Type, string Message)> Outcome(Func<Task> attempt)
    {
        try
        {
            await attempt();
            return ("signed in", "");
        }
        catch (CognitoException e)
        {
            return (e.Type, e.Message);
        }
    }

    [Fact]
    public async Task With_user_existence_errors_prevented_an_unknown_name_is_locked_out_exactly_as_a_known_one()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "ENABLED" });
        await kit.User(app.PoolId, "xavi");
        async Task<List<(string, string)>> Hammer(string username)
        {
            var seen = new List<(string, string)>();
            for (var i = 0; i < SignInLockout.FreeAttempts + 3; i++) seen.Add(await Outcome(() => kit.PasswordSignIn(app, username, "Wrong-Passw0rd")));
            seen.Add(await Outcome(() => kit.SrpSignIn(app, username, "Wrong-Passw0rd")));
            return seen;
        }
        var known = await Hammer("xavi");
        var unknown = await Hammer("nobody-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Contains(("NotAuthorizedException", Exceeded), known);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task The_hosted_sign_in_spends_a_password_hash_for_an_unknown_name_as_for_a_known_one()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "yves");
        var hasher = server.Services.GetRequiredService<PasswordHasher>();
        async Task<long> Spent(string username)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var pool = await scope.ServiceProvider.GetRequiredService<UserPoolStore>().Get(app.PoolId, default);
            var client = await scope.ServiceProvider.GetRequiredService<AppClientStore>().Get(app.PoolId, app.ClientId, default);
            var before = hasher.Spent;
            var result = await scope.ServiceProvider.GetRequiredService<HostedSignIn>().WithPassword(pool, client, username, "Wrong-Passw0rd", default);
            Assert.Equal("Incorrect username or password.", result.Message);
            return hasher.Spent - before;
        }
        var known = await Spent("yves");
        Assert.True(known >= 1);
        Assert.Equal(known, await Spent("nobody-" + Guid.NewGuid().ToString("N")[..8]));
    }
}
