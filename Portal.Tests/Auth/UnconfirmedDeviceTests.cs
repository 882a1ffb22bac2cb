using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;

namespace Portal.Tests.Auth;

/// <summary>A sign-in on a pool that tracks devices creates a device (NewDeviceMetadata) that waits for ConfirmDevice; a
/// client that never confirms would leave one row per sign-in forever. The user's unconfirmed devices older than a day are
/// deleted at their next sign-in; confirmed ones stay however old. Time moves on the server's clock, not by waiting.</summary>
[Collection(ClockedCollection.Name)]
public sealed class UnconfirmedDeviceTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    Task<List<string>> DeviceKeys(string poolId) =>
        kit.Db(db => db.Devices.Where(d => d.UserPoolId == poolId).OrderBy(d => d.CreatedAt).Select(d => d.DeviceKey).ToListAsync());

    [Fact]
    public async Task Unconfirmed_devices_older_than_a_day_are_deleted_at_the_users_next_sign_in_and_confirmed_ones_stay()
    {
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            DeviceConfiguration = new DeviceConfigurationType { ChallengeRequiredOnNewDevice = false, DeviceOnlyRememberedOnUserPrompt = false },
        });
        await kit.User(app.PoolId, "uma");
        await kit.User(app.PoolId, "otto");

        var confirmedSignIn = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!;
        var confirmed = confirmedSignIn.NewDeviceMetadata!.DeviceKey!;
        await kit.Anonymous.Send(new ConfirmDeviceRequest
        {
            AccessToken = confirmedSignIn.AccessToken, DeviceKey = confirmed, DeviceName = "laptop",
            DeviceSecretVerifierConfig = new DeviceSecretVerifierConfigType { Salt = Convert.ToBase64String([1, 2, 3, 4]), PasswordVerifier = Convert.ToBase64String([5, 6, 7, 8]) },
        });
        var stale1 = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!.NewDeviceMetadata!.DeviceKey!;
        var stale2 = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!.NewDeviceMetadata!.DeviceKey!;
        var othersStale = (await kit.PasswordSignIn(app, "otto")).AuthenticationResult!.NewDeviceMetadata!.DeviceKey!;
        Assert.Equal([confirmed, stale1, stale2, othersStale], await DeviceKeys(app.PoolId));

        // Less than a day on, the next sign-in keeps them (the client may still confirm).
        server.Clock.Advance(TimeSpan.FromHours(23));
        var recent = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!.NewDeviceMetadata!.DeviceKey!;
        Assert.Equal([confirmed, stale1, stale2, othersStale, recent], await DeviceKeys(app.PoolId));

        // A day after they were made, uma's next sign-in deletes her two stale ones; her confirmed device, her device of an
        // hour ago and otto's (he has not signed in since) stay.
        server.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var latest = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!.NewDeviceMetadata!.DeviceKey!;
        Assert.Equal([confirmed, othersStale, recent, latest], await DeviceKeys(app.PoolId));
        var listed = (await kit.Admin.Send(new AdminListDevicesRequest { UserPoolId = app.PoolId, Username = "uma" })).Devices!;
        Assert.Equal(confirmed, Assert.Single(listed).DeviceKey);

        // Otto's goes at his next sign-in.
        await kit.PasswordSignIn(app, "otto");
        Assert.DoesNotContain(othersStale, await DeviceKeys(app.PoolId));
    }
}
