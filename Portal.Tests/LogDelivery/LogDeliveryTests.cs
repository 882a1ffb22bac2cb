using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Server.UserPools.LogDelivery;
using Portal.Tests.Branding;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;

namespace Portal.Tests.LogDelivery;

/// <summary>
/// SetLogDeliveryConfiguration / GetLogDeliveryConfiguration over the wire, and the logs delivered for real: user auth
/// events (threat protection, INFO) to CloudWatch Logs, Firehose (test servers that check every SigV4 signature) and S3
/// (s3rver, through AWSSDK.S3), message delivery failures (ERROR) to CloudWatch Logs. A destination that fails shows as
/// failing with its error and keeps its records until they are delivered or dropped after the retention (counted);
/// two instances never send one record.
/// </summary>
public sealed class LogDeliveryTests(LogDeliveryServer server, Infrastructure.Browser browser) : IClassFixture<LogDeliveryServer>, IClassFixture<Infrastructure.Browser>
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    const string Password = "Passw0rd!x";
    readonly RemoteCognito cognito = new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") },
        new RemoteCognito.Credentials(Infrastructure.PortalServer.AccessKeyId, Infrastructure.PortalServer.SecretAccessKey));

    // The model's ArnType has no '*': a log group's ARN without the ":*" of its IAM resource form.
    static string LogGroup(string name) => $"arn:aws:logs:us-east-1:123456789012:log-group:{name}";
    static string Stream(string name) => $"arn:aws:firehose:us-east-1:123456789012:deliverystream/{name}";

    /// <summary>A Plus pool with threat protection in audit mode (so it records auth events), a client for admin sign-in,
    /// and a confirmed user.</summary>
    async Task<(string Pool, string Client, string User)> Pool(string tier = "PLUS")
    {
        var pool = (await cognito.Send(new CreateUserPoolRequest
        {
            PoolName = Infrastructure.PortalServer.Unique("logs"), UserPoolTier = tier,
            UserPoolAddOns = tier == "PLUS" ? new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" } : null,
        })).UserPool!.Id!;
        var client = (await cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "app", ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        var user = Infrastructure.PortalServer.Unique("user");
        await cognito.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = user, TemporaryPassword = Password, MessageAction = "SUPPRESS" });
        await cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = user, Password = Password, Permanent = true });
        return (pool, client, user);
    }

    Task<SetLogDeliveryConfigurationResponse> Set(string pool, params LogConfigurationType[] configurations) =>
        cognito.Send(new SetLogDeliveryConfigurationRequest { UserPoolId = pool, LogConfigurations = [.. configurations] });

    static LogConfigurationType AuthEvents(string? group = null, string? stream = null, string? bucket = null) => new()
    {
        EventSource = "userAuthEvents", LogLevel = "INFO",
        CloudWatchLogsConfiguration = group is null ? null : new CloudWatchLogsConfigurationType { LogGroupArn = LogGroup(group) },
        FirehoseConfiguration = stream is null ? null : new FirehoseConfigurationType { StreamArn = Stream(stream) },
        S3Configuration = bucket is null ? null : new S3ConfigurationType { BucketArn = bucket },
    };

    async Task SignIn(string pool, string client, string user, string password = Password)
    {
        var request = new AdminInitiateAuthRequest
        {
            UserPoolId = pool, ClientId = client, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = user, ["PASSWORD"] = password },
        };
        if (password == Password) await cognito.Send(request);
        else await Assert.ThrowsAsync<NotAuthorizedException>(() => cognito.Send(request));
    }

    async Task<LogServices.Arrival> Arrived(Func<LogServices.Arrival, bool> match, string pool)
    {
        try
        {
            return await server.Logs.Received.First(match, Limit);
        }
        catch (OperationCanceledException)
        {
            var status = await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool });
            throw new Xunit.Sdk.XunitException($"No record arrived in {Limit}: {JsonSerializer.Serialize(status)}; refused: {string.Join("; ", server.Logs.Refused.Snapshot())}");
        }
    }

    static void AssertAuthEvent(JsonElement record, string pool, string user, string type, string response)
    {
        Assert.Equal("USER_AUTH_EVENTS", record.GetProperty("eventSource").GetString());
        Assert.Equal("INFO", record.GetProperty("logLevel").GetString());
        Assert.Equal(pool, record.GetProperty("logSourceId").GetProperty("userPoolId").GetString());
        Assert.EndsWith($":userpool/{pool}", record.GetProperty("logSourceId").GetProperty("userPoolArn").GetString(), StringComparison.Ordinal);
        Assert.True(long.TryParse(record.GetProperty("eventTimestamp").GetString(), out _));
        var message = record.GetProperty("message");
        Assert.Equal(type, message.GetProperty("EventType").GetString());
        Assert.Equal(response, message.GetProperty("EventResponse").GetString());
        Assert.Equal(user, message.GetProperty("Username").GetString());
        Assert.Equal(record.GetProperty("eventId").GetString(), message.GetProperty("EventId").GetString());
    }

    [Fact]
    public async Task The_configuration_round_trips_and_bad_ones_get_Cognitos_errors()
    {
        var (pool, _, _) = await Pool();
        var empty = await cognito.Send(new GetLogDeliveryConfigurationRequest { UserPoolId = pool });
        Assert.Equal(pool, empty.LogDeliveryConfiguration!.UserPoolId);
        Assert.Empty(empty.LogDeliveryConfiguration.LogConfigurations!);

        var notification = new LogConfigurationType
        {
            EventSource = "userNotification", LogLevel = "ERROR",
            CloudWatchLogsConfiguration = new CloudWatchLogsConfigurationType { LogGroupArn = LogGroup("/aws/vendedlogs/notifications") },
        };
        var set = await Set(pool, notification, AuthEvents(stream: "activity"));
        var got = await cognito.Send(new GetLogDeliveryConfigurationRequest { UserPoolId = pool });
        Assert.Equal(JsonSerializer.Serialize(set.LogDeliveryConfiguration), JsonSerializer.Serialize(got.LogDeliveryConfiguration));
        Assert.Equal(2, got.LogDeliveryConfiguration!.LogConfigurations!.Count);
        Assert.Equal(Stream("activity"), got.LogDeliveryConfiguration.LogConfigurations[1].FirehoseConfiguration!.StreamArn);

        // What Cognito documents: userNotification is ERROR to CloudWatch Logs; userAuthEvents is INFO; one destination each.
        await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, notification with { LogLevel = "INFO" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, notification with
        {
            CloudWatchLogsConfiguration = null,
            S3Configuration = new S3ConfigurationType { BucketArn = "arn:aws:s3:::portal-assets" },
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents("a", "b")));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents()));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents("a") with { LogLevel = "ERROR" }));
        var star = await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents() with
        {
            CloudWatchLogsConfiguration = new CloudWatchLogsConfigurationType { LogGroupArn = LogGroup("a") + ":*" },
        }));
        Assert.Contains("failed to satisfy constraint: Member must satisfy regular expression pattern", star.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents("a"), AuthEvents(stream: "b")));
        var pattern = await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents() with
        {
            CloudWatchLogsConfiguration = new CloudWatchLogsConfigurationType { LogGroupArn = "not-an-arn-of-a-log-group" },
        }));
        Assert.StartsWith("1 validation error detected: Value 'not-an-arn-of-a-log-group' at 'logConfigurations.1.member.cloudWatchLogsConfiguration.logGroupArn' failed to satisfy constraint",
            pattern.Message);
        var level = await Assert.ThrowsAsync<InvalidParameterException>(() => Set(pool, AuthEvents("a") with { LogLevel = "DEBUG" }));
        Assert.Contains("Member must satisfy enum value set: [ERROR, INFO]", level.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetLogDeliveryConfigurationRequest
        {
            UserPoolId = pool, LogConfigurations = [notification, AuthEvents("a"), AuthEvents("b")],
        }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new GetLogDeliveryConfigurationRequest { UserPoolId = "us-east-1_Nonexist0" }));
        // User activity logs are a Plus feature.
        var (essentials, _, _) = await Pool("ESSENTIALS");
        await Assert.ThrowsAsync<FeatureUnavailableInTierException>(() => Set(essentials, AuthEvents("a")));
        Assert.Single((await Set(essentials, notification)).LogDeliveryConfiguration!.LogConfigurations!);

        // The failed calls changed nothing; an empty list turns delivery off.
        Assert.Equal(2, (await cognito.Send(new GetLogDeliveryConfigurationRequest { UserPoolId = pool })).LogDeliveryConfiguration!.LogConfigurations!.Count);
        await Set(pool);
        Assert.Empty((await cognito.Send(new GetLogDeliveryConfigurationRequest { UserPoolId = pool })).LogDeliveryConfiguration!.LogConfigurations!);
        Assert.Empty((await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!);
    }

    [Fact]
    public async Task Auth_events_go_to_CloudWatch_Logs_signed_and_in_Cognitos_shape()
    {
        var (pool, client, user) = await Pool();
        var group = Infrastructure.PortalServer.Unique("group");
        await Set(pool, AuthEvents(group));
        await SignIn(pool, client, user);
        await SignIn(pool, client, user, "Wrong-passw0rd");

        var pass = await Arrived(a => a.Group == group && a.Record.GetProperty("message").GetProperty("EventResponse").GetString() == "Pass", pool);
        AssertAuthEvent(pass.Record, pool, user, "SignIn", "Pass");
        Assert.Equal(CloudWatchLogsSender.StreamName(pool, "userAuthEvents"), pass.Stream);
        // A failed sign-in's event is kept with its record although the operation failed.
        var fail = await Arrived(a => a.Group == group && a.Record.GetProperty("message").GetProperty("EventResponse").GetString() == "Fail", pool);
        AssertAuthEvent(fail.Record, pool, user, "SignIn", "Fail");
        Assert.Contains("logs CreateLogStream", server.Logs.Calls.Snapshot());
        Assert.Empty(server.Logs.Refused.Snapshot());

        // The worker counts a batch once the destination has answered it.
        LogDestinationStatusType status;
        var deadline = TimeProvider.System.GetUtcNow() + Limit;
        while ((status = (await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!.Single()).Delivered < 2)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The deliveries were never counted.");
            await Task.Delay(50);
        }
        Assert.Equal(("userAuthEvents", "CloudWatchLogs", LogGroup(group), false), (status.EventSource, status.Kind, status.Arn, status.Failing));
        Assert.NotNull(status.LastDeliveredDate);
        Assert.Equal(2L, status.Delivered);
    }

    [Fact]
    public async Task Auth_events_go_to_Firehose_as_newline_delimited_records()
    {
        var (pool, client, user) = await Pool();
        var stream = Infrastructure.PortalServer.Unique("stream");
        await Set(pool, AuthEvents(stream: stream));
        await SignIn(pool, client, user);
        var arrival = await Arrived(a => a.Service == "firehose" && a.Stream == stream, pool);
        AssertAuthEvent(arrival.Record, pool, user, "SignIn", "Pass");
        Assert.Empty(server.Logs.Refused.Snapshot());
    }

    [Fact]
    public async Task Auth_events_go_to_S3_as_objects_under_a_Cognito_like_key()
    {
        var (pool, client, user) = await Pool();
        await Set(pool, AuthEvents(bucket: $"arn:aws:s3:::{S3rver.Bucket}/cognito-logs"));
        await SignIn(pool, client, user);
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(S3rver.AccessKeyId, S3rver.SecretAccessKey),
            new AmazonS3Config { ServiceURL = server.S3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var prefix = $"cognito-logs/AWSLogs/000000000000/cognito-idp/us-east-1/{pool}/userAuthEvents/";
        var deadline = TimeProvider.System.GetUtcNow() + Limit;
        List<S3Object> objects;
        while (true)
        {
            objects = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rver.Bucket, Prefix = prefix })).S3Objects ?? [];
            if (objects.Count > 0) break;
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "No log object arrived: " + JsonSerializer.Serialize(await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })));
            await server.Services.GetRequiredService<LogDeliveryWorker>().Round(CancellationToken.None);
        }
        var key = objects[0].Key;
        Assert.Matches($@"^{prefix}\d{{4}}/\d{{2}}/\d{{2}}/\d{{2}}/{pool}_userAuthEvents_\d{{8}}T\d{{6}}Z_[0-9a-f]{{16}}\.log$", key);
        using var body = await s3.GetObjectAsync(S3rver.Bucket, key);
        using var reader = new StreamReader(body.ResponseStream);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        AssertAuthEvent(JsonDocument.Parse(lines[0]).RootElement, pool, user, "SignIn", "Pass");
    }

    [Fact]
    public async Task A_message_that_cannot_be_delivered_is_logged_as_a_userNotification_error()
    {
        var pool = (await cognito.Send(new CreateUserPoolRequest { PoolName = Infrastructure.PortalServer.Unique("notify") })).UserPool!.Id!;
        var group = Infrastructure.PortalServer.Unique("notifications");
        await Set(pool, new LogConfigurationType
        {
            EventSource = "userNotification", LogLevel = "ERROR", CloudWatchLogsConfiguration = new CloudWatchLogsConfigurationType { LogGroupArn = LogGroup(group) },
        });
        // The server's mail server does not answer: the invitation cannot be delivered.
        await cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "invited", TemporaryPassword = Password, DesiredDeliveryMediums = ["EMAIL"],
            UserAttributes = [new AttributeType { Name = "email", Value = "invited@example.com" }],
        });
        var arrival = await Arrived(a => a.Group == group, pool);
        Assert.Equal(CloudWatchLogsSender.StreamName(pool, "userNotification"), arrival.Stream);
        var record = arrival.Record;
        Assert.Equal("USER_NOTIFICATION", record.GetProperty("eventSource").GetString());
        Assert.Equal("ERROR", record.GetProperty("logLevel").GetString());
        Assert.Equal("EMAIL", record.GetProperty("messageChannel").GetString());
        var message = record.GetProperty("message").GetString()!;
        Assert.StartsWith("Failed to deliver the EMAIL message to ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("invited@example.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_destination_shows_its_error_keeps_its_records_and_drops_them_only_after_the_retention()
    {
        var (pool, client, user) = await Pool();
        var group = Infrastructure.PortalServer.Unique("down");
        server.Logs.Broken[group] = true;
        await Set(pool, AuthEvents(group));
        await SignIn(pool, client, user);
        var worker = server.Services.GetRequiredService<LogDeliveryWorker>();

        LogDestinationStatusType status;
        var deadline = TimeProvider.System.GetUtcNow() + Limit;
        do
        {
            await worker.Round(CancellationToken.None);
            status = (await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!.Single();
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The destination never showed as failing.");
        }
        while (status.Failing != true);
        Assert.Contains("ServiceUnavailableException", status.LastError, StringComparison.Ordinal);
        Assert.NotNull(status.LastErrorDate);
        Assert.Null(status.LastDeliveredDate);
        Assert.Equal(1, status.Pending);
        Assert.Equal(0L, status.Dropped);

        // Back up: the kept record is delivered and the destination no longer fails.
        server.Logs.Broken.TryRemove(group, out _);
        await Arrived(a => a.Group == group, pool);
        deadline = TimeProvider.System.GetUtcNow() + Limit;
        do
        {
            status = (await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!.Single();
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The destination never recovered.");
        }
        while (status.Failing != false);
        Assert.Equal((0, 1L), (status.Pending, status.Delivered));

        // Down again, and a record waits past the retention: it is dropped and counted, not silently lost.
        server.Logs.Broken[group] = true;
        await SignIn(pool, client, user);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var old = server.Clock.GetUtcNow() - TimeSpan.FromHours(25);
            Assert.Equal(1, await db.Set<LogOutboxRow>().Where(r => r.UserPoolId == pool).ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, old)));
        }
        await worker.Round(CancellationToken.None);
        status = (await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!.Single();
        Assert.Equal((0, 1L, 1L), (status.Pending, status.Delivered, status.Dropped));
        server.Logs.Broken.TryRemove(group, out _);
    }

    [Fact]
    public async Task Two_instances_never_send_one_record()
    {
        var (pool, client, user) = await Pool();
        var stream = Infrastructure.PortalServer.Unique("race");
        await Set(pool, AuthEvents(stream: stream));
        // Records written while a second worker (another instance's) races this server's own.
        var second = new LogDeliveryWorker(server.Services.GetRequiredService<IServiceScopeFactory>(), server.Services.GetServices<ILogSender>(),
            server.Services.GetRequiredService<IOptionsMonitor<LogDeliveryOptions>>(), server.Clock, NullLogger<LogDeliveryWorker>.Instance);
        for (var i = 0; i < 10; i++) await SignIn(pool, client, user);
        await Task.WhenAll(second.Round(CancellationToken.None), second.Round(CancellationToken.None),
            server.Services.GetRequiredService<LogDeliveryWorker>().Round(CancellationToken.None));
        var deadline = TimeProvider.System.GetUtcNow() + Limit;
        while ((await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!.Single().Pending > 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Records were left undelivered.");
            await second.Round(CancellationToken.None);
        }
        var ids = server.Logs.Received.Snapshot().Where(a => a.Stream == stream).Select(a => a.Record.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(10, ids.Count);
        Assert.Equal(10, ids.Distinct().Count());
    }

    /// <summary>The pool page's Log delivery tab: a delivering destination and a failing one with its error and time, what
    /// waits and what was delivered; axe finds nothing serious in either theme; the screenshot for the README.</summary>
    [Fact]
    public async Task The_Log_delivery_card_shows_a_failing_destination_with_its_error()
    {
        var (pool, client, user) = await Pool();
        var notifications = Infrastructure.PortalServer.Unique("notify");
        var activity = Infrastructure.PortalServer.Unique("activity");
        server.Logs.Broken[activity] = true;
        await Set(pool, new LogConfigurationType
        {
            EventSource = "userNotification", LogLevel = "ERROR", CloudWatchLogsConfiguration = new CloudWatchLogsConfigurationType { LogGroupArn = LogGroup(notifications) },
        }, AuthEvents(activity));
        await cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "invited", TemporaryPassword = Password, DesiredDeliveryMediums = ["EMAIL"],
            UserAttributes = [new AttributeType { Name = "email", Value = "invited@example.com" }],
        });
        await SignIn(pool, client, user);
        await Arrived(a => a.Group == notifications, pool);
        var worker = server.Services.GetRequiredService<LogDeliveryWorker>();
        var deadline = TimeProvider.System.GetUtcNow() + Limit;
        while (!(await cognito.Send(new GetLogDeliveryStatusRequest { UserPoolId = pool })).Destinations!.Any(d => d.Failing == true))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The broken destination never showed as failing.");
            await worker.Round(CancellationToken.None);
        }

        Assertions.SetDefaultExpectTimeout(20_000);
        var page = await browser.NewPage(1280, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await page.GotoAsync($"{server.BaseUrl}/pools/{pool}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        for (var tries = 0; !await page.GetByTestId("log-delivery-card").IsVisibleAsync(); tries++)
        {
            Assert.True(tries < 40, "The Log delivery tab did not open.");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Log delivery" }).ClickAsync();
            await page.GetByTestId("log-delivery-card").Shows(500);
        }
        var failing = page.GetByTestId("logs-row-userAuthEvents");
        await Assertions.Expect(failing.GetByTestId("logs-state")).ToHaveTextAsync("Failing");
        await Assertions.Expect(failing.GetByTestId("logs-error")).ToContainTextAsync("ServiceUnavailableException");
        await Assertions.Expect(failing.GetByTestId("logs-pending")).ToHaveTextAsync("1");
        var delivering = page.GetByTestId("logs-row-userNotification");
        await Assertions.Expect(delivering.GetByTestId("logs-state")).ToHaveTextAsync("Delivering");
        await Assertions.Expect(delivering.GetByTestId("logs-delivered")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("logs-notification-arn")).ToHaveValueAsync(LogGroup(notifications));
        await Assertions.Expect(page.GetByTestId("logs-activity-arn")).ToHaveValueAsync(LogGroup(activity));
        await page.AnimationsDone();
        Assert.Empty(await PortalAxeTests.Serious(page));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Infrastructure.Browser.ScreenshotFolder, "portal-log-delivery.png"), FullPage = true });
        await PortalAxeTests.Dark(page);
        Assert.Empty(await PortalAxeTests.Serious(page));

        // The operator turns user activity off from the form: the failing destination and its records go.
        await page.GetByTestId("logs-activity-kind").SelectOptionAsync("");
        await page.GetByTestId("logs-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("logs-row-userAuthEvents")).ToHaveCountAsync(0);
        var left = (await cognito.Send(new GetLogDeliveryConfigurationRequest { UserPoolId = pool })).LogDeliveryConfiguration!.LogConfigurations!;
        Assert.Equal("userNotification", Assert.Single(left).EventSource);
        server.Logs.Broken.TryRemove(activity, out _);
    }
}
