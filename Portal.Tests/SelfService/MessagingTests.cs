using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.SelfService;

/// <summary>Templates, masking, the outbox, SMTP delivery and the SMS webhook.</summary>
[Collection(SelfServiceCollection.Name)]
public sealed class MessagingTests(SelfServiceServer server)
{
    const string Password = "Passw0rd!x";

    [Theory]
    [InlineData("alice@example.com", "a***@e***")]
    [InlineData("b@x.io", "b***@x***")]
    public void Email_destinations_are_masked(string email, string masked) => Assert.Equal(masked, CodeDelivery.MaskEmail(email));

    [Theory]
    [InlineData("+15555551234", "+*******1234")]
    [InlineData("+447700900123", "+********0123")]
    public void Phone_destinations_are_masked(string phone, string masked) => Assert.Equal(masked, CodeDelivery.MaskPhone(phone));

    [Fact]
    public void Templates_fill_the_code_and_the_username_and_default_as_Cognito()
    {
        var pool = new UserPoolType
        {
            VerificationMessageTemplate = new VerificationMessageTemplateType { EmailMessage = "Hi {username}, code {####}", EmailSubject = "Welcome" },
        };
        Assert.Equal(new Message("EMAIL", "Welcome", "Hi jo, code 123456"), Templates.Verification(pool, "EMAIL", "123456", "jo"));
        Assert.Equal(new Message("SMS", null, "Your verification code is 123456. "), Templates.Verification(pool, "SMS", "123456", "jo"));
        Assert.Equal(new Message("EMAIL", "Your verification code", "Your verification code is 654321. "), Templates.Verification(new UserPoolType(), "EMAIL", "654321", "jo"));
        Assert.Equal("Your username is jo and temporary password is P@ss. ", Templates.Invitation(new UserPoolType(), "SMS", "P@ss", "jo").Body);
    }

    [Fact]
    public async Task The_pool_template_is_mailed_and_the_outbox_records_the_message_as_sent()
    {
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"],
            VerificationMessageTemplate = new VerificationMessageTemplateType
            {
                EmailMessage = "Hello {username}, your Portal code is {####}.", EmailSubject = "Welcome to Portal", DefaultEmailOption = "CONFIRM_WITH_CODE",
            },
        });
        var username = SelfServiceServer.Unique("tmpl");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });

        var mail = await server.Mail.LatestTo(email);
        Assert.Equal("Welcome to Portal", mail.Subject);
        var code = MailCatcher.CodeIn(mail.TextBody);
        Assert.Equal($"Hello {username}, your Portal code is {code}.", mail.TextBody?.Trim());

        var outbox = await server.Db(db => db.Outbox.AsNoTracking().SingleAsync(m => m.UserPoolId == poolId));
        Assert.Equal(("EMAIL", email, "Welcome to Portal", "Sent"), (outbox.Channel, outbox.Destination, outbox.Subject, outbox.DeliveryStatus));
        Assert.Contains(code, outbox.Body);
    }

    [Fact]
    public async Task A_phone_sign_up_code_goes_to_the_sms_webhook()
    {
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest { AutoVerifiedAttributes = ["phone_number"] });
        var phone = "+1555" + Random.Shared.Next(1000000, 9999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (phone.EndsWith(SmsWebhook.FailingSuffix, StringComparison.Ordinal)) phone = phone[..^1] + "1";
        var username = SelfServiceServer.Unique("sms");

        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "phone_number", Value = phone }],
        });
        Assert.Equal(new CodeDeliveryDetailsType { Destination = "+*******" + phone[^4..], DeliveryMedium = "SMS", AttributeName = "phone_number" }, signUp.CodeDeliveryDetails);

        var sms = server.Sms.LatestTo(phone);
        Assert.NotNull(sms);
        var code = MailCatcher.CodeIn(sms.Message);
        Assert.Equal($"Your verification code is {code}. ", sms.Message);
        Assert.Equal("Sent", (await server.Db(db => db.Outbox.AsNoTracking().SingleAsync(m => m.UserPoolId == poolId))).DeliveryStatus);

        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = code });
        var user = await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == signUp.UserSub));
        Assert.True(user.PhoneNumberVerified);
        Assert.False(user.EmailVerified);
    }

    [Fact]
    public async Task A_failed_delivery_is_recorded_and_the_operation_still_succeeds()
    {
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest { AutoVerifiedAttributes = ["phone_number"] });
        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = SelfServiceServer.Unique("fail"), Password = Password,
            UserAttributes = [new() { Name = "phone_number", Value = "+1555123" + SmsWebhook.FailingSuffix }],
        });
        Assert.Equal("SMS", signUp.CodeDeliveryDetails!.DeliveryMedium);
        var outbox = await server.Db(db => db.Outbox.AsNoTracking().SingleAsync(m => m.UserPoolId == poolId));
        Assert.StartsWith("Failed: ", outbox.DeliveryStatus);
        Assert.Contains("500", outbox.DeliveryStatus);
    }

    [Fact]
    public async Task Messages_are_queued_in_the_callers_unit_of_work_and_delivered_after_it()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var messages = scope.ServiceProvider.GetRequiredService<Messages>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var address = $"{SelfServiceServer.Unique("direct")}@example.com";

        var row = messages.Queue(null, address, new Message("EMAIL", "Direct", "A body"));
        Assert.Equal("Recorded", row.DeliveryStatus);
        await db.SaveChangesAsync();
        Assert.Equal(0, server.Mail.CountTo(address));

        await messages.Deliver(CancellationToken.None);
        Assert.Equal("A body", (await server.Mail.LatestTo(address)).TextBody?.Trim());
        Assert.Equal("Sent", (await server.Db(d => d.Outbox.AsNoTracking().SingleAsync(m => m.Id == row.Id))).DeliveryStatus);
    }
}

/// <summary>Without SMTP or an SMS webhook configured, messages are only recorded in the outbox.</summary>
[Collection(ServerCollection.Name)]
public sealed class OutboxOnlyTests(PortalServer server)
{
    [Fact]
    public async Task Without_a_transport_the_outbox_keeps_the_message_as_recorded()
    {
        var admin = new RemoteCognito(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") },
            new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
        var anonymous = new RemoteCognito(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") }, null);
        var pool = await admin.Send(new CreateUserPoolRequest { PoolName = SelfServiceServer.Unique("outbox"), AutoVerifiedAttributes = ["email", "phone_number"] });
        var client = await admin.Send(new CreateUserPoolClientRequest { UserPoolId = pool.UserPool!.Id, ClientName = "app" });
        var email = $"{SelfServiceServer.Unique("rec")}@example.com";

        await anonymous.Send(new SignUpRequest
        {
            ClientId = client.UserPoolClient!.ClientId, Username = SelfServiceServer.Unique("rec"), Password = "Passw0rd!x",
            UserAttributes = [new() { Name = "email", Value = email }],
        });

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.Destination == email);
        Assert.Equal("Recorded", message.DeliveryStatus);
        Assert.Equal("EMAIL", message.Channel);
        Assert.Matches(@"Your verification code is [0-9]{6}\. ", message.Body);
    }
}
