using Bunit;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;

namespace Portal.Tests.Portal;

/// <summary>Remembered devices in the portal: a user's devices on their page (AdminListDevices), forgotten by an operator
/// after confirming (AdminForgetDevice), never by a viewer; a pool's device tracking on its Devices tab (UpdateUserPool).</summary>
public sealed class DevicesPortalTests : PortalPageTest
{
    const string Pool = "eu-west-1_Devices1";
    static readonly DateTimeOffset Seen = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);

    readonly List<DeviceType> stored =
    [
        Device("eu-west-1_0f6b8c2e-1111-4a1b-9c3d-000000000001", "Firefox on Linux", "remembered", "198.51.100.7"),
        Device("eu-west-1_0f6b8c2e-2222-4a1b-9c3d-000000000002", "nodejs", "not_remembered", "203.0.113.9"),
    ];
    readonly List<AdminForgetDeviceRequest> forgotten = [];

    static DeviceType Device(string key, string name, string status, string ip) => new()
    {
        DeviceKey = key, DeviceCreateDate = Seen.AddDays(-3), DeviceLastModifiedDate = Seen, DeviceLastAuthenticatedDate = Seen,
        DeviceAttributes =
        [
            new() { Name = "device_status", Value = "valid" }, new() { Name = "device_name", Value = name },
            new() { Name = "dev:device_remembered_status", Value = status }, new() { Name = "last_ip", Value = ip },
        ],
    };

    object? Answer(object request) => request switch
    {
        AdminListDevicesRequest => new AdminListDevicesResponse { Devices = [.. stored] },
        AdminForgetDeviceRequest r => Forget(r),
        _ => null,
    };

    AdminForgetDeviceResponse Forget(AdminForgetDeviceRequest r)
    {
        forgotten.Add(r);
        stored.RemoveAll(d => d.DeviceKey == r.DeviceKey);
        return new AdminForgetDeviceResponse();
    }

    IRenderedComponent<UserDevices> Open(bool mayChange)
    {
        Cognito.Answer = Answer;
        var page = Ctx.Render<UserDevices>(p => p.Add(x => x.UserPoolId, Pool).Add(x => x.Username, "dora").Add(x => x.MayChange, mayChange));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='device-row']").Count), Wait);
        return page;
    }

    [Fact]
    public void The_users_devices_show_name_remembered_status_and_last_address_and_an_operator_forgets_one_after_confirming()
    {
        var page = Open(mayChange: true);
        var rows = page.FindAll("[data-testid='device-row']");
        Assert.Contains("Firefox on Linux", rows[0].TextContent);
        Assert.Contains("Remembered", rows[0].TextContent);
        Assert.Contains("198.51.100.7", rows[0].TextContent);
        Assert.Contains("Not remembered", rows[1].TextContent);

        page.FindAll("[data-testid='device-row'] button")[1].Click();
        AnswerDialog(confirm: false);
        Assert.Empty(forgotten);
        page.FindAll("[data-testid='device-row'] button")[1].Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='device-row']")), Wait);
        var request = Assert.Single(forgotten);
        Assert.Equal((Pool, "dora", "eu-west-1_0f6b8c2e-2222-4a1b-9c3d-000000000002"), (request.UserPoolId, request.Username, request.DeviceKey));
    }

    [Fact]
    public void A_viewer_sees_the_devices_without_a_forget_button()
    {
        var page = Open(mayChange: false);
        Assert.Empty(page.FindAll("[data-testid='device-row'] button"));
    }

    [Fact]
    public async Task The_pool_devices_tab_turns_on_opt_in_remembering_that_skips_mfa()
    {
        var pool = Cognito.AddPool("devices");
        var page = Ctx.Render<PoolDetail>(p => p.Add(x => x.Id, pool));
        page.WaitForElement("[data-testid='pool-tabs']", Wait);
        Tab(page, "Devices and passkeys");
        page.WaitForElement("[data-testid='device-settings']", Wait);
        var radios = page.FindAll("[data-testid='device-remember'] input[type=radio]");
        Assert.True(radios[0].HasAttribute("checked"));
        await page.InvokeAsync(() => page.FindAll("[data-testid='device-remember'] input[type=radio]")[2].Click());
        await page.InvokeAsync(() => Input(page, "device-skip-mfa").Change(true));
        await page.InvokeAsync(() => page.Find("[data-testid='device-save']").Click());
        page.WaitForAssertion(() => Assert.Equal(true, Cognito.PoolSettings(pool).DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt), Wait);
        Assert.Equal(true, Cognito.PoolSettings(pool).DeviceConfiguration!.ChallengeRequiredOnNewDevice);
        Assert.Equal(pool, Cognito.Requests<UpdateUserPoolRequest>().Last().UserPoolId);
    }
}
