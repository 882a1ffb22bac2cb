using System.Text.Json;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>Managed login branding over AWS JSON with SigV4: Terraform-style round trips (create, describe, update,
/// describe) compare equal field by field; the style and Portal's theme are one branding, and the hosted UI draws it.</summary>
[Collection(ServerCollection.Name)]
public sealed class ManagedLoginBrandingTests(PortalServer server) : IDisposable
{
    readonly ICognito cognito = BrandedPool.Cognito(server);
    readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    static JsonElement Settings(string primary, int radius) => JsonSerializer.Deserialize<JsonElement>($$"""
        {
          "categories": { "global": { "colorSchemeMode": "LIGHT", "spacingDensity": "REGULAR" }, "form": { "displayGraphics": true } },
          "components": {
            "primaryButton": { "lightMode": { "defaults": { "backgroundColor": "{{primary}}", "textColor": "ffffffff" } } },
            "pageBackground": { "lightMode": { "color": "f4f4f4ff" }, "image": { "enabled": false } }
          },
          "componentClasses": { "buttons": { "borderRadius": {{radius}} }, "text": { "lightMode": { "bodyTextColor": "222222ff" } } }
        }
        """);

    static void AssertSame(ManagedLoginBrandingType expected, ManagedLoginBrandingType actual)
    {
        Assert.Equal(expected.ManagedLoginBrandingId, actual.ManagedLoginBrandingId);
        Assert.Equal(expected.UserPoolId, actual.UserPoolId);
        Assert.Equal(expected.UseCognitoProvidedValues, actual.UseCognitoProvidedValues);
        Assert.True(JsonElement.DeepEquals(expected.Settings!.Value, actual.Settings!.Value),
            $"Settings differ:\n{expected.Settings}\n{actual.Settings}");
        Assert.Equal(expected.Assets!.Count, actual.Assets!.Count);
        foreach (var (e, a) in expected.Assets.Zip(actual.Assets))
        {
            Assert.Equal((e.Category, e.ColorMode, e.Extension, e.ResourceId), (a.Category, a.ColorMode, a.Extension, a.ResourceId));
            Assert.Equal(e.Bytes, a.Bytes);
        }
        Assert.Equal(expected.CreationDate, actual.CreationDate);
        Assert.Equal(expected.LastModifiedDate, actual.LastModifiedDate);
    }

    [Fact]
    public async Task Create_describe_update_describe_round_trip_field_by_field()
    {
        var pool = await BrandedPool.Create(cognito);
        var logo = TestImages.Png(40, 20);
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>"u8.ToArray();
        var created = (await cognito.Send(new CreateManagedLoginBrandingRequest
        {
            UserPoolId = pool.PoolId, ClientId = pool.ClientId, Settings = Settings("0972d3ff", 8),
            Assets =
            [
                new AssetType { Category = "FORM_LOGO", ColorMode = "LIGHT", Extension = "PNG", Bytes = logo },
                new AssetType { Category = "FAVICON_SVG", ColorMode = "DYNAMIC", Extension = "SVG", Bytes = svg, ResourceId = "fav" },
            ],
        })).ManagedLoginBranding!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", created.ManagedLoginBrandingId!);
        Assert.Equal(false, created.UseCognitoProvidedValues);
        Assert.True(JsonElement.DeepEquals(Settings("0972d3ff", 8), created.Settings!.Value));

        var described = (await cognito.Send(new DescribeManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId })).ManagedLoginBranding!;
        AssertSame(created, described);
        var byClient = (await cognito.Send(new DescribeManagedLoginBrandingByClientRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).ManagedLoginBranding!;
        AssertSame(created, byClient);

        var updated = (await cognito.Send(new UpdateManagedLoginBrandingRequest
        {
            UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId, Settings = Settings("aa3300ff", 12),
        })).ManagedLoginBranding!;
        Assert.True(JsonElement.DeepEquals(Settings("aa3300ff", 12), updated.Settings!.Value));
        Assert.Equal(2, updated.Assets!.Count);
        Assert.True(updated.LastModifiedDate > created.LastModifiedDate);
        var again = (await cognito.Send(new DescribeManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId })).ManagedLoginBranding!;
        AssertSame(updated, again);

        // The hosted UI draws it: the colours, radius and logo are the client's theme.
        var theme = (await cognito.Send(new GetHostedUiThemeRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).HostedUiTheme!;
        Assert.Equal(("#aa3300", "#f4f4f4", "#222222", 12), (theme.Theme!.PrimaryColor, theme.Theme.BackgroundColor, theme.Theme.TextColor, theme.Theme.CornerRadius));
        Assert.Equal("ManagedLoginBranding", theme.LastWrittenBy);
        var css = await http.GetStringAsync($"{server.BaseUrl}/{pool.Domain}/ui.css?client_id={pool.ClientId}");
        Assert.Contains("--portal-primary: #aa3300", css);
        Assert.Contains("--portal-radius: 12px", css);
        var ui = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).UICustomization!;
        Assert.Equal(logo, await http.GetByteArrayAsync(ui.ImageUrl));
    }

    [Fact]
    public async Task The_portal_theme_and_the_style_are_one_branding_and_the_last_writer_is_known()
    {
        var pool = await BrandedPool.Create(cognito);
        var created = (await cognito.Send(new CreateManagedLoginBrandingRequest
        {
            UserPoolId = pool.PoolId, ClientId = pool.ClientId, Settings = Settings("0972d3ff", 8),
        })).ManagedLoginBranding!;

        var theme = (await cognito.Send(new GetHostedUiThemeRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).HostedUiTheme!.Theme!;
        await cognito.Send(new SetHostedUiThemeRequest
        {
            UserPoolId = pool.PoolId, ClientId = pool.ClientId, Theme = theme with { PrimaryColor = "#123456", CornerRadius = 4 },
        });
        var afterTheme = (await cognito.Send(new GetHostedUiThemeRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).HostedUiTheme!;
        Assert.Equal("SetHostedUiTheme", afterTheme.LastWrittenBy);
        Assert.Equal(created.ManagedLoginBrandingId, afterTheme.ManagedLoginBrandingId);

        var described = (await cognito.Send(new DescribeManagedLoginBrandingByClientRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).ManagedLoginBranding!;
        var settings = described.Settings!.Value;
        Assert.Equal("123456ff", settings.GetProperty("components").GetProperty("primaryButton").GetProperty("lightMode").GetProperty("defaults").GetProperty("backgroundColor").GetString());
        Assert.Equal(4, settings.GetProperty("componentClasses").GetProperty("buttons").GetProperty("borderRadius").GetInt32());
        // What the theme does not map stays as the style wrote it.
        Assert.Equal("LIGHT", settings.GetProperty("categories").GetProperty("global").GetProperty("colorSchemeMode").GetString());
    }

    [Fact]
    public async Task One_style_per_client_bad_input_and_delete()
    {
        var pool = await BrandedPool.Create(cognito);
        var created = (await cognito.Send(new CreateManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId, UseCognitoProvidedValues = true })).ManagedLoginBranding!;
        Assert.Equal(true, created.UseCognitoProvidedValues);
        Assert.Null(created.Settings);

        await Assert.ThrowsAsync<ManagedLoginBrandingExistsException>(() =>
            cognito.Send(new CreateManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId, UseCognitoProvidedValues = true }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new UpdateManagedLoginBrandingRequest
        {
            UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId, UseCognitoProvidedValues = true, Settings = Settings("000000ff", 0),
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new UpdateManagedLoginBrandingRequest
        {
            UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId,
            Assets = [new AssetType { Category = "FORM_LOGO", ColorMode = "LIGHT", Extension = "PNG", Bytes = "<html>"u8.ToArray() }],
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateManagedLoginBrandingRequest
        {
            UserPoolId = pool.PoolId, ClientId = pool.ClientId, Assets = [new AssetType { Category = "NOPE", ColorMode = "LIGHT", Extension = "PNG" }],
        }));

        await cognito.Send(new DeleteManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new DescribeManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ManagedLoginBrandingId = created.ManagedLoginBrandingId }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new DescribeManagedLoginBrandingByClientRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId }));
        // Deleted, the client can have a new style.
        Assert.NotNull((await cognito.Send(new CreateManagedLoginBrandingRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).ManagedLoginBranding);
    }
}
