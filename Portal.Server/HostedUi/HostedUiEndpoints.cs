using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Server.HostedUi.Pages;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>Routes of a pool's hosted UI under <c>/{domain}</c>: the sign-in pages and the OAuth 2.0 / OIDC endpoints.</summary>
public static class HostedUiEndpoints
{
    public static IEndpointRouteBuilder MapHostedUi(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/{domain}").DisableAntiforgery().WithHostedUiHeaders().AddEndpointFilter(Throttling.HostedUiThrottle.Forms)
            .AddEndpointFilter(HostedForm.Pages);
        ui.MapGet("/login", (HttpContext h, string domain, HostedUiPages p) => p.Login(h, domain));
        ui.MapPost("/login", (HttpContext h, string domain, HostedUiPages p) => p.LoginSubmit(h, domain));
        ui.MapGet("/signup", (HttpContext h, string domain, HostedUiPages p) => p.SignUp(h, domain));
        ui.MapPost("/signup", (HttpContext h, string domain, HostedUiPages p) => p.SignUpSubmit(h, domain));
        ui.MapGet("/confirm", (HttpContext h, string domain, HostedUiPages p) => p.Confirm(h, domain));
        ui.MapPost("/confirm", (HttpContext h, string domain, HostedUiPages p) => p.ConfirmSubmit(h, domain));
        ui.MapPost("/resendCode", (HttpContext h, string domain, HostedUiPages p) => p.ResendCode(h, domain));
        ui.MapGet("/forgotPassword", (HttpContext h, string domain, HostedUiPages p) => p.ForgotPassword(h, domain));
        ui.MapPost("/forgotPassword", (HttpContext h, string domain, HostedUiPages p) => p.ForgotPasswordSubmit(h, domain));
        ui.MapGet("/confirmForgotPassword", (HttpContext h, string domain, HostedUiPages p) => p.ConfirmForgotPassword(h, domain));
        ui.MapPost("/confirmForgotPassword", (HttpContext h, string domain, HostedUiPages p) => p.ConfirmForgotPasswordSubmit(h, domain));
        ui.MapPost("/newPassword", (HttpContext h, string domain, HostedUiPages p) => p.NewPasswordSubmit(h, domain));
        ui.MapGet("/mfa", (HttpContext h, string domain, HostedUiPages p) => p.Mfa(h, domain));
        ui.MapPost("/mfa", (HttpContext h, string domain, HostedUiPages p) => p.MfaSubmit(h, domain));
        ui.MapGet("/error", (HttpContext h, string domain, HostedUiPages p) => p.Error(h, domain));
        return app;
    }

    /// <summary>A hosted page as a result, with its status code.</summary>
    public static IResult Render<TPage>(object parameters, int status = 200) where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };
}
