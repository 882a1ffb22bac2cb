using System.Net;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>SetUICustomization / GetUICustomization over AWS JSON with SigV4, per client and for ALL, and the logo
/// served where ImageUrl says.</summary>
[Collection(ServerCollection.Name)]
public sealed class UICustomizationWireTests(PortalServer server) : IDisposable
{
    readonly ICognito cognito = BrandedPool.Cognito(server);
    readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    const string AllCss = ".submitButton-customizable { background-color: #112233; }\n.label-customizable { font-weight: 600; }";
    const string ClientCss = ".banner-customizable { background-color: #ffeedd; padding: 10px; }";

    [Fact]
    public async Task Set_for_ALL_then_a_client_falls_back_to_ALL_until_it_has_its_own()
    {
        var pool = await BrandedPool.Create(cognito);
        var png = TestImages.Png(40, 20);

        var all = (await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, CSS = AllCss, ImageFile = png })).UICustomization!;
        Assert.Equal(pool.PoolId, all.UserPoolId);
        Assert.Equal("ALL", all.ClientId);
        Assert.Equal(".submitButton-customizable { background-color: rgb(17, 34, 51) }\n.label-customizable { font-weight: 600 }", all.CSS);
        Assert.StartsWith(server.BaseUrl + "/assets/", all.ImageUrl);
        Assert.NotNull(all.CSSVersion);
        Assert.NotNull(all.CreationDate);

        var fallback = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).UICustomization!;
        Assert.Equal("ALL", fallback.ClientId);
        Assert.Equal(all.CSS, fallback.CSS);
        Assert.Equal(all.ImageUrl, fallback.ImageUrl);
        Assert.Equal(all.CSSVersion, fallback.CSSVersion);

        var own = (await cognito.Send(new SetUICustomizationRequest
        {
            UserPoolId = pool.PoolId, ClientId = pool.ClientId, CSS = ClientCss, ImageFile = TestImages.Jpeg(),
        })).UICustomization!;
        Assert.Equal(pool.ClientId, own.ClientId);

        var client = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).UICustomization!;
        Assert.Equal(pool.ClientId, client.ClientId);
        Assert.Contains(".banner-customizable", client.CSS);
        Assert.Equal(own.ImageUrl, client.ImageUrl);
        Assert.NotEqual(all.ImageUrl, client.ImageUrl);

        var pooled = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = "ALL" })).UICustomization!;
        Assert.Equal(all.CSS, pooled.CSS);
        var omitted = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId })).UICustomization!;
        Assert.Equal("ALL", omitted.ClientId);
        Assert.Equal(all.ImageUrl, omitted.ImageUrl);
    }

    [Fact]
    public async Task ImageUrl_serves_the_logo_with_its_content_type_nosniff_and_cache_headers()
    {
        var pool = await BrandedPool.Create(cognito);
        var png = TestImages.Png(24, 12);
        var set = (await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, ImageFile = png })).UICustomization!;

        using var response = await http.GetAsync(set.ImageUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.True(response.Headers.CacheControl.Public);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, set.ImageUrl);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);

        var jpeg = (await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId, ImageFile = TestImages.Jpeg() })).UICustomization!;
        using var jpegResponse = await http.GetAsync(jpeg.ImageUrl);
        Assert.Equal("image/jpeg", jpegResponse.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Each_set_changes_the_CSS_version_and_replaces_css_and_logo_together()
    {
        var pool = await BrandedPool.Create(cognito);
        var first = (await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, CSS = AllCss, ImageFile = TestImages.Png(9, 9) })).UICustomization!;
        var second = (await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, CSS = AllCss })).UICustomization!;
        Assert.NotEqual(first.CSSVersion, second.CSSVersion);
        Assert.Null(second.ImageUrl); // Cognito sets CSS and logo together: an omitted logo is removed
        Assert.Equal(first.CreationDate, second.CreationDate);
        // The old logo is used by nobody any more, so it is gone from the store.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(first.ImageUrl)).StatusCode);
    }

    [Fact]
    public async Task Nothing_set_gives_an_empty_customization()
    {
        var pool = await BrandedPool.Create(cognito);
        var empty = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).UICustomization!;
        Assert.Equal(pool.PoolId, empty.UserPoolId);
        Assert.Null(empty.CSS);
        Assert.Null(empty.ImageUrl);
        Assert.Null(empty.CSSVersion);
    }

    [Fact]
    public async Task Refused_css_and_logo_are_InvalidParameterException()
    {
        var pool = await BrandedPool.Create(cognito);
        var css = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetUICustomizationRequest
        {
            UserPoolId = pool.PoolId, CSS = ".label-customizable { color: red; }\n@import url(/assets/x.css);",
        }));
        Assert.Contains("line 2: the at-rule @import is not allowed", css.Message);

        var gif = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetUICustomizationRequest
        {
            UserPoolId = pool.PoolId, ImageFile = [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, 0x3B],
        }));
        Assert.Contains("GIF", gif.Message);

        var svg = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetUICustomizationRequest
        {
            UserPoolId = pool.PoolId, ImageFile = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray(),
        }));
        Assert.Contains("SVG", svg.Message);
        // Nothing was stored by the refused calls.
        Assert.Null((await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId })).UICustomization!.CSSVersion);
    }

    [Fact]
    public async Task A_pool_without_a_domain_cannot_be_customized()
    {
        var pool = await BrandedPool.Create(cognito, withDomain: false);
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, CSS = AllCss }));
        Assert.Equal("A domain must be associated with this user pool.", e.Message);
    }

    [Fact]
    public async Task Unknown_client_and_pool_are_ResourceNotFound()
    {
        var pool = await BrandedPool.Create(cognito);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = "nosuchclient0000000000000", CSS = AllCss }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = "nosuchclient0000000000000" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new GetUICustomizationRequest { UserPoolId = "us-east-1_Nope00000" }));
    }

    [Fact]
    public async Task Assets_outside_the_store_are_not_found()
    {
        foreach (var path in new[] { "/assets/..%2F..%2Fappsettings.json", "/assets/.types", "/assets/a..b", "/assets/nosuchasset.png" })
        {
            using var response = await http.GetAsync(server.BaseUrl + path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }
}
