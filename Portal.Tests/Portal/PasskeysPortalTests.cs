using Bunit;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

/// <summary>Passkeys in the portal: a user's passkeys on their page (name, authenticator, created, last used), deleted by an
/// operator after confirming, never by a viewer; a pool's passkey settings on its Devices and passkeys tab (the WEB_AUTHN
/// first factor with UpdateUserPool, WebAuthnConfiguration with SetUserPoolMfaConfig, the pool's MFA factors kept).</summary>
public sealed class PasskeysPortalTests : PortalPageTest
{
    const string Pool = "eu-west-1_Passkeys1";
    static readonly DateTimeOffset Made = new(2026, 11, 20, 9, 15, 0, TimeSpan.Zero);

    readonly List<AdminWebAuthnCredential> stored =
    [
        new()
        {
            CredentialId = "cred-laptop", FriendlyCredentialName = "Passkey", RelyingPartyId = "auth.shop.example", AuthenticatorAttachment = "platform",
            AuthenticatorTransports = ["internal", "hybrid"], CreatedAt = Made, LastUsedAt = Made.AddDays(10),
        },
        new()
        {
            CredentialId = "cred-key", FriendlyCredentialName = "Passkey 2", RelyingPartyId = "auth.shop.example", AuthenticatorAttachment = "cross-platform",
            AuthenticatorTransports = ["usb", "nfc"], CreatedAt = Made.AddDays(2),
        },
    ];
    readonly List<AdminDeleteWebAuthnCredentialRequest> deleted = [];

    object? Answer(object request) => request switch
    {
        AdminListWebAuthnCredentialsRequest => new AdminListWebAuthnCredentialsResponse { Credentials = [.. stored] },
        AdminDeleteWebAuthnCredentialRequest r => Delete(r),
        _ => null,
    };

    AdminDeleteWebAuthnCredentialResponse Delete(AdminDeleteWebAuthnCredentialRequest r)
    {
        deleted.Add(r);
        stored.RemoveAll(c => c.CredentialId == r.CredentialId);
        return new AdminDeleteWebAuthnCredentialResponse();
    }

    IRenderedComponent<UserPasskeys> Open(bool mayChange)
    {
        Cognito.Answer = Answer;
        var page = Ctx.Render<UserPasskeys>(p => p.Add(x => x.UserPoolId, Pool).Add(x => x.Username, "dora").Add(x => x.MayChange, mayChange));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='passkey-row']").Count), Wait);
        return page;
    }

    [Fact]
    public void The_users_passkeys_show_name_authenticator_and_dates_and_an_operator_deletes_one_after_confirming()
    {
        var page = Open(mayChange: true);
        var rows = page.FindAll("[data-testid='passkey-row']");
        Assert.Contains("Passkey", rows[0].TextContent);
        Assert.Contains("Built into the device", rows[0].TextContent);
        Assert.Equal(["internal", "hybrid"], rows[0].QuerySelectorAll("[data-testid='passkey-transport']").Select(t => t.TextContent.Trim()));
        Assert.Contains(Made.AddDays(10).ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), rows[0].TextContent);
        Assert.Contains("Security key or phone", rows[1].TextContent);
        Assert.Contains("Never", rows[1].TextContent);

        page.FindAll("[data-testid='passkey-delete']")[1].Click();
        AnswerDialog(confirm: false);
        Assert.Empty(deleted);
        page.FindAll("[data-testid='passkey-delete']")[1].Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='passkey-row']")), Wait);
        var request = Assert.Single(deleted);
        Assert.Equal((Pool, "dora", "cred-key"), (request.UserPoolId, request.Username, request.CredentialId));
    }

    [Fact]
    public void A_viewer_sees_the_passkeys_without_a_delete_button()
    {
        var page = Open(mayChange: false);
        Assert.Empty(page.FindAll("[data-testid='passkey-row'] button"));
    }

    [Fact]
    public async Task The_pool_tab_turns_on_passkeys_with_a_relying_party_required_verification_and_passkeys_as_mfa_keeping_the_pools_mfa()
    {
        var pool = Cognito.AddPool("passkeys");
        Cognito.SetPoolMfa(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = pool, MfaConfiguration = "OPTIONAL", SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
        });
        var page = Ctx.Render<PoolDetail>(p => p.Add(x => x.Id, pool));
        page.WaitForElement("[data-testid='pool-tabs']", Wait);
        Tab(page, "Devices and passkeys");
        page.WaitForElement("[data-testid='passkey-settings']", Wait);
        Assert.False(Input(page, "passkey-enabled").HasAttribute("checked"));

        await page.InvokeAsync(() => Input(page, "passkey-enabled").Change(true));
        await page.InvokeAsync(() => Input(page, "passkey-rp-id").Change("https://shop.example"));
        await page.InvokeAsync(() => page.FindAll("[data-testid='passkey-verification'] input[type=radio]")[1].Click());
        await page.InvokeAsync(() => Input(page, "passkey-mfa").Change(true));
        await page.InvokeAsync(() => page.Find("[data-testid='passkey-save']").Click());
        // The engine's refusal shows next to the field, and nothing changed.
        page.WaitForAssertion(() => Assert.Contains("it must be a domain name, without a scheme, port or path", page.Find("[data-testid='passkey-settings']").TextContent), Wait);
        Assert.DoesNotContain("WEB_AUTHN", Cognito.PoolSettings(pool).Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? []);

        await page.InvokeAsync(() => Input(page, "passkey-rp-id").Change("shop.example"));
        await page.InvokeAsync(() => page.Find("[data-testid='passkey-save']").Click());
        page.WaitForAssertion(() => Assert.Contains("WEB_AUTHN", Cognito.PoolSettings(pool).Policies!.SignInPolicy!.AllowedFirstAuthFactors!), Wait);
        var mfa = await Cognito.Send(new GetUserPoolMfaConfigRequest { UserPoolId = pool });
        Assert.Equal(("shop.example", "required", "MULTI_FACTOR_WITH_USER_VERIFICATION"),
            (mfa.WebAuthnConfiguration!.RelyingPartyId, mfa.WebAuthnConfiguration.UserVerification, mfa.WebAuthnConfiguration.FactorConfiguration));
        Assert.Equal("OPTIONAL", mfa.MfaConfiguration);
        Assert.True(mfa.SoftwareTokenMfaConfiguration!.Enabled);
        Assert.Contains("PASSWORD", Cognito.PoolSettings(pool).Policies!.SignInPolicy!.AllowedFirstAuthFactors!);
    }
}
