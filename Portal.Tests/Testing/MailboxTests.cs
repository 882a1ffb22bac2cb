using System.Net;
using System.Text.Json;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, the mailbox: every message in full with its code, link, kind and recipient extracted; filters,
/// the long poll, clearing, and the same messages at LocalStack's /_aws/ses and /_aws/sns/sms-messages.</summary>
[Collection(TestingCollection.Name)]
public sealed class MailboxTests(TestingServer server)
{
    const string Password = "Passw0rd!x";

    static string Email() => $"{Guid.NewGuid():n}"[..12] + "@example.com";

    async Task<string> SignUp(string clientId, string email)
    {
        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = email, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });
        return signUp.UserSub!;
    }

    static JsonElement[] Messages(JsonElement body) => body.GetProperty("Messages").EnumerateArray().ToArray();

    [Fact]
    public async Task A_sign_up_code_is_served_in_its_own_field_and_confirms_the_user()
    {
        var (poolId, clientId) = await server.Pool();
        var email = Email();
        await SignUp(clientId, email);

        var messages = Messages(await server.Get($"/_portal/testing/mailbox?recipient={Uri.EscapeDataString(email.ToUpperInvariant())}"));
        var message = Assert.Single(messages);
        Assert.Equal("sign-up", message.GetProperty("Kind").GetString());
        Assert.Equal(poolId, message.GetProperty("UserPoolId").GetString());
        Assert.Equal(email, message.GetProperty("Destination").GetString());
        Assert.Equal("EMAIL", message.GetProperty("Channel").GetString());
        var code = message.GetProperty("Code").GetString()!;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains(code, message.GetProperty("Body").GetString());   // unmasked, in full

        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = email, ConfirmationCode = code });
        var user = await server.Cognito.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = email });
        Assert.Equal(UserStatus.Confirmed, user.UserStatus);
    }

    [Fact]
    public async Task Messages_are_newest_first_and_filtered_by_pool_kind_recipient_and_time()
    {
        var (poolId, clientId) = await server.Pool();
        var email = Email();
        await SignUp(clientId, email);
        await server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = clientId, Username = email });
        var invited = Email();
        var created = await server.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = invited, TemporaryPassword = "Temp-Passw0rd!",
            UserAttributes = [new() { Name = "email", Value = invited }, new() { Name = "email_verified", Value = "true" }],
        });

        var all = Messages(await server.Get($"/_portal/testing/mailbox?pool={poolId}"));
        Assert.Equal(3, all.Length);
        Assert.Equal(["invitation", "sign-up", "sign-up"], all.Select(m => m.GetProperty("Kind").GetString()));
        var times = all.Select(m => m.GetProperty("CreatedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        // The temporary password of the invitation is its code.
        Assert.Equal("Temp-Passw0rd!", all[0].GetProperty("Code").GetString());
        Assert.Equal(created.User!.Username, all[0].GetProperty("Username").GetString());
        Assert.Equal(invited, all[0].GetProperty("Destination").GetString());

        var signUps = Messages(await server.Get($"/_portal/testing/mailbox?pool={poolId}&kind=sign-up&recipient={Uri.EscapeDataString(email)}"));
        Assert.Equal(2, signUps.Length);
        // The resent code is the newest, and the one that confirms.
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = email, ConfirmationCode = signUps[0].GetProperty("Code").GetString() });

        var since = Uri.EscapeDataString(all[0].GetProperty("CreatedAt").GetDateTimeOffset().ToString("O"));
        Assert.Single(Messages(await server.Get($"/_portal/testing/mailbox?pool={poolId}&since={since}")));
        Assert.Empty(Messages(await server.Get($"/_portal/testing/mailbox?pool={poolId}&kind=forgot-password")));

        var forgot = await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = email });
        Assert.NotNull(forgot.CodeDeliveryDetails);
        var reset = Assert.Single(Messages(await server.Get($"/_portal/testing/mailbox?pool={poolId}&kind=forgot-password")));
        await server.Anonymous.Send(new ConfirmForgotPasswordRequest
        {
            ClientId = clientId, Username = email, ConfirmationCode = reset.GetProperty("Code").GetString(), Password = "Another-Passw0rd!",
        });
    }

    [Fact]
    public async Task Bad_filters_are_clear_errors()
    {
        var unknown = await server.Get("/_portal/testing/mailbox?pool=us-east-1_NoSuchOne", HttpStatusCode.NotFound);
        Assert.Equal("ResourceNotFoundException", unknown.GetProperty("__type").GetString());
        Assert.Equal("User pool us-east-1_NoSuchOne does not exist.", unknown.GetProperty("message").GetString());
        var kind = await server.Get("/_portal/testing/mailbox?kind=postcard", HttpStatusCode.BadRequest);
        Assert.Contains("kind must be one of sign-up, forgot-password, mfa, invitation, attribute-verification", kind.GetProperty("message").GetString());
        await server.Get("/_portal/testing/mailbox?wait=31", HttpStatusCode.BadRequest);
        await server.Get("/_portal/testing/mailbox?since=yesterday", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_long_poll_answers_the_next_message_to_a_recipient_when_it_is_sent()
    {
        var (_, clientId) = await server.Pool();
        var email = Email();
        using var http = server.Http();
        // From a time before the sign-up: the poll may reach Portal before or after the message is sent.
        var since = Uri.EscapeDataString(server.Clock.GetUtcNow().ToString("O"));
        var polling = http.GetAsync($"/_portal/testing/mailbox?recipient={Uri.EscapeDataString(email)}&since={since}&wait=30");
        await SignUp(clientId, email);
        var response = await polling.WaitAsync(TimeSpan.FromSeconds(25));
        var message = Assert.Single(Messages(await server.Json(response)));
        Assert.Equal(email, message.GetProperty("Destination").GetString());
        Assert.Matches("^[0-9]{6}$", message.GetProperty("Code").GetString());
    }

    [Fact]
    public async Task A_long_poll_that_times_out_answers_an_empty_list()
    {
        var body = await server.Get($"/_portal/testing/mailbox?recipient=nobody-{Guid.NewGuid():n}@example.com&wait=0.3");
        Assert.Empty(Messages(body));
    }

    [Fact]
    public async Task Clearing_a_pool_leaves_the_other_pools_messages()
    {
        var (first, firstClient) = await server.Pool();
        var (second, secondClient) = await server.Pool();
        await SignUp(firstClient, Email());
        await SignUp(secondClient, Email());
        using var http = server.Http();
        var cleared = await server.Json(await http.DeleteAsync($"/_portal/testing/mailbox?pool={first}"));
        Assert.Equal(1, cleared.GetProperty("Deleted").GetInt32());
        Assert.Empty(Messages(await server.Get($"/_portal/testing/mailbox?pool={first}")));
        Assert.Single(Messages(await server.Get($"/_portal/testing/mailbox?pool={second}")));
        await server.Json(await http.DeleteAsync("/_portal/testing/mailbox?pool=us-east-1_NoSuchOne"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LocalStack_shapes_serve_the_same_emails_and_text_messages()
    {
        var (poolId, clientId) = await server.Pool();
        var email = Email();
        await SignUp(clientId, email);
        var ses = await server.Get($"/_aws/ses?email={Uri.EscapeDataString(email)}");
        var sent = Assert.Single(ses.GetProperty("messages").EnumerateArray());
        Assert.Equal("us-east-1", sent.GetProperty("Region").GetString());
        Assert.Equal(email, Assert.Single(sent.GetProperty("Destination").GetProperty("ToAddresses").EnumerateArray()).GetString());
        Assert.False(string.IsNullOrEmpty(sent.GetProperty("Source").GetString()));
        Assert.False(string.IsNullOrEmpty(sent.GetProperty("Subject").GetString()));
        Assert.False(string.IsNullOrEmpty(sent.GetProperty("Id").GetString()));
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T", sent.GetProperty("Timestamp").GetString());
        var code = Messages(await server.Get($"/_portal/testing/mailbox?recipient={Uri.EscapeDataString(email)}"))[0].GetProperty("Code").GetString()!;
        Assert.Contains(code, sent.GetProperty("Body").GetProperty("text_part").GetString());

        // A text message: a pool that verifies phone numbers.
        var phonePool = await server.Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = PortalServer.Unique("sms"), AutoVerifiedAttributes = ["phone_number"],
        });
        var phoneClient = await server.Cognito.Send(new CreateUserPoolClientRequest { UserPoolId = phonePool.UserPool!.Id, ClientName = "app" });
        var phone = "+1555" + Random.Shared.Next(1000000, 9999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = phoneClient.UserPoolClient!.ClientId, Username = PortalServerUnique(), Password = Password,
            UserAttributes = [new() { Name = "phone_number", Value = phone }],
        });
        var sms = await server.Get($"/_aws/sns/sms-messages?phoneNumber={Uri.EscapeDataString(phone)}");
        Assert.Equal("us-east-1", sms.GetProperty("region").GetString());
        var text = Assert.Single(sms.GetProperty("sms_messages").GetProperty(phone).EnumerateArray());
        Assert.Equal(phone, text.GetProperty("PhoneNumber").GetString());
        Assert.Matches("[0-9]{6}", text.GetProperty("Message").GetString());
        var mailbox = Assert.Single(Messages(await server.Get($"/_portal/testing/mailbox?recipient={Uri.EscapeDataString(phone)}")));
        Assert.Equal("SMS", mailbox.GetProperty("Channel").GetString());
        Assert.Equal("sign-up", mailbox.GetProperty("Kind").GetString());

        using var http = server.Http();
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/_aws/sns/sms-messages")).StatusCode);
        Assert.Empty(Messages(await server.Get($"/_portal/testing/mailbox?recipient={Uri.EscapeDataString(phone)}")));
        // Clearing text messages leaves the emails.
        Assert.Single(Messages(await server.Get($"/_portal/testing/mailbox?pool={poolId}")));
    }

    static string PortalServerUnique() => PortalServer.Unique("phone-user");
}
