using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Messaging;

namespace Portal.Tests.SelfService;

/// <summary>The rules of one-time codes: hashed, 6 digits, expiry, attempt limit, single use, one live code per purpose.</summary>
[Collection(SelfServiceCollection.Name)]
public sealed class CodeTests(SelfServiceServer server)
{
    const string Password = "Passw0rd!x";

    async Task<(string ClientId, string Username, string Email, string Sub)> UnconfirmedUser()
    {
        var (_, clientId) = await server.CreatePool();
        var username = SelfServiceServer.Unique("code");
        var email = $"{username}@example.com";
        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });
        return (clientId, username, email, signUp.UserSub!);
    }

    static string Other(string code) => code == "000000" ? "111111" : "000000";

    [Fact]
    public async Task A_code_is_six_digits_stored_only_as_a_hash()
    {
        var (_, _, email, sub) = await UnconfirmedUser();
        var code = await server.Mail.CodeTo(email);
        Assert.Matches("^[0-9]{6}$", code);

        var row = await server.Db(db => db.Codes.AsNoTracking().SingleAsync(c => c.UserSub == sub));
        Assert.Equal(CodePurpose.SignUp, row.Purpose.Split('=')[0]);
        Assert.DoesNotContain(code, row.CodeHash);
        Assert.Equal(Codes.Hash(row.Id, code), row.CodeHash);
        Assert.Equal(TimeSpan.FromHours(24), row.ExpiresAt - row.CreatedAt);
    }

    [Fact]
    public async Task A_wrong_code_is_a_mismatch_and_five_wrong_tries_kill_the_code()
    {
        var (clientId, username, email, _) = await UnconfirmedUser();
        var code = await server.Mail.CodeTo(email);

        for (var i = 0; i < 5; i++)
        {
            var e = await Assert.ThrowsAsync<CodeMismatchException>(() =>
                server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = Other(code) }));
            Assert.Equal("Invalid verification code provided, please try again.", e.Message);
        }
        var limit = await Assert.ThrowsAsync<LimitExceededException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = code }));
        Assert.Equal("Attempt limit exceeded, please try after some time.", limit.Message);

        // A new code starts afresh.
        await server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = clientId, Username = username });
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo(email, count: 2) });
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var (clientId, username, email, sub) = await UnconfirmedUser();
        var code = await server.Mail.CodeTo(email);
        await server.Db(async db =>
        {
            var row = await db.Codes.SingleAsync(c => c.UserSub == sub);
            row.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            return await db.SaveChangesAsync();
        });

        var e = await Assert.ThrowsAsync<ExpiredCodeException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = code }));
        Assert.Equal("Invalid code provided, please request a code again.", e.Message);
    }

    [Fact]
    public async Task A_code_is_used_once_and_a_new_code_kills_the_previous_one()
    {
        var (clientId, username, email, sub) = await UnconfirmedUser();
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo(email) });

        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        var first = await server.Mail.CodeTo(email, count: 2);
        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        var second = await server.Mail.CodeTo(email, count: 3);
        Assert.Equal(1, await server.Db(db => db.Codes.CountAsync(c => c.UserSub == sub && c.Purpose == CodePurpose.ForgotPassword)));

        if (first != second)
            await Assert.ThrowsAsync<CodeMismatchException>(() => server.Anonymous.Send(new ConfirmForgotPasswordRequest
            {
                ClientId = clientId, Username = username, ConfirmationCode = first, Password = "N3w-Passw0rd!",
            }));
        await server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = clientId, Username = username, ConfirmationCode = second, Password = "N3w-Passw0rd!" });

        var reused = await Assert.ThrowsAsync<ExpiredCodeException>(() => server.Anonymous.Send(new ConfirmForgotPasswordRequest
        {
            ClientId = clientId, Username = username, ConfirmationCode = second, Password = "An0ther-Passw0rd!",
        }));
        Assert.Equal("Invalid code provided, please request a code again.", reused.Message);
    }

    [Fact]
    public async Task Without_any_code_issued_a_code_is_a_mismatch()
    {
        var (clientId, username, _, sub) = await UnconfirmedUser();
        await server.Db(async db => await db.Codes.Where(c => c.UserSub == sub).ExecuteDeleteAsync());
        await Assert.ThrowsAsync<CodeMismatchException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = "123456" }));
    }
}
