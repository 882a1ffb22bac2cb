using Portal.Server.HostedUi.Pages;

namespace Portal.Server.HostedUi;

/// <summary>Routes of a pool's hosted UI under <c>/{domain}</c>: the sign-in pages (one endpoint class per page, in
/// <see cref="Pages"/>) and the OAuth 2.0 / OIDC endpoints.</summary>
public static class HostedUiEndpoints
{
    public static IEndpointRouteBuilder MapHostedUi(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/{domain}").DisableAntiforgery().WithHostedUiHeaders().AddEndpointFilter(Throttling.HostedUiThrottle.Forms)
            .AddEndpointFilter(HostedForm.Pages);
        ui.MapGet("/login", (HttpContext h, string domain, LoginEndpoint p) => p.Show(h, domain));
        ui.MapPost("/login", (HttpContext h, string domain, LoginEndpoint p) => p.Submit(h, domain));
        ui.MapGet("/signup", (HttpContext h, string domain, SignUpEndpoint p) => p.Show(h, domain));
        ui.MapPost("/signup", (HttpContext h, string domain, SignUpEndpoint p) => p.Submit(h, domain));
        ui.MapGet("/confirm", (HttpContext h, string domain, ConfirmEndpoint p) => p.Show(h, domain));
        ui.MapPost("/confirm", (HttpContext h, string domain, ConfirmEndpoint p) => p.Submit(h, domain));
        ui.MapPost("/resendCode", (HttpContext h, string domain, ConfirmEndpoint p) => p.ResendCode(h, domain));
        ui.MapGet("/forgotPassword", (HttpContext h, string domain, ForgotPasswordEndpoint p) => p.Show(h, domain));
        ui.MapPost("/forgotPassword", (HttpContext h, string domain, ForgotPasswordEndpoint p) => p.Submit(h, domain));
        ui.MapGet("/confirmForgotPassword", (HttpContext h, string domain, ConfirmForgotPasswordEndpoint p) => p.Show(h, domain));
        ui.MapPost("/confirmForgotPassword", (HttpContext h, string domain, ConfirmForgotPasswordEndpoint p) => p.Submit(h, domain));
        ui.MapPost("/newPassword", (HttpContext h, string domain, NewPasswordEndpoint p) => p.Submit(h, domain));
        ui.MapGet("/mfa", (HttpContext h, string domain, MfaEndpoint p) => p.Show(h, domain));
        ui.MapPost("/mfa", (HttpContext h, string domain, MfaEndpoint p) => p.Submit(h, domain));
        ui.MapPost("/passkey", (HttpContext h, string domain, PasskeyEndpoint p) => p.SignIn(h, domain));
        ui.MapGet("/passkeys/add", (HttpContext h, string domain, PasskeyEndpoint p) => p.ShowAdd(h, domain));
        ui.MapPost("/passkeys/add", (HttpContext h, string domain, PasskeyEndpoint p) => p.SubmitAdd(h, domain));
        ui.MapGet("/error", (HttpContext h, string domain, ErrorEndpoint p) => p.Show(h, domain));
        return app;
    }

    /// <summary>The hosted pages: the shared part and one endpoint class per page.</summary>
    public static IServiceCollection AddHostedUiPages(this IServiceCollection services) => services
        .AddScoped<HostedPages>()
        .AddScoped<LoginEndpoint>()
        .AddScoped<SignUpEndpoint>()
        .AddScoped<ConfirmEndpoint>()
        .AddScoped<ForgotPasswordEndpoint>()
        .AddScoped<ConfirmForgotPasswordEndpoint>()
        .AddScoped<NewPasswordEndpoint>()
        .AddScoped<MfaEndpoint>()
        .AddScoped<ErrorEndpoint>()
        .AddScoped<PasskeyEndpoint>();
}
