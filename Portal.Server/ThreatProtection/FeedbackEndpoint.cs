using System.Net;
using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.ThreatProtection;

/// <summary>
/// The links of a risk notification (<see cref="RiskNotifications"/>): <c>GET /threat-protection/feedback</c> only shows
/// what the link will record, with a button (mail scanners fetch links; a GET changes nothing); the button's POST sends
/// UpdateAuthEventFeedback through the dispatcher, as an app would, and shows the outcome. The token is in the form, so
/// a forged cross-site POST would need the token it is meant to protect.
/// </summary>
public static class FeedbackEndpoint
{
    public const string Path = "/threat-protection/feedback";

    public static IEndpointRouteBuilder MapRiskFeedback(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Show);
        app.MapPost(Path, Submit).DisableAntiforgery();
        return app;
    }

    static IResult Show(HttpContext http)
    {
        var q = http.Request.Query;
        var (pool, username, eventId, token, value) = (q["pool"].ToString(), q["username"].ToString(), q["event"].ToString(), q["token"].ToString(), q["value"].ToString());
        if (pool.Length == 0 || username.Length == 0 || eventId.Length == 0 || token.Length == 0 || value is not ("Valid" or "Invalid"))
            return Page("This link is incomplete", "<p>The link in the email is not whole. Open it again from the email.</p>", 400);
        var question = value == "Valid" ? "Confirm that this sign-in was you" : "Report that this sign-in was not you";
        var form = $"""
            <p>{(value == "Valid" ? "Tell us that the sign-in in the email was yours." : "Tell us that you did not sign in: later sign-ins like it will be treated as risky.")}</p>
            <form method="post" action="{Path}">
              <input type="hidden" name="pool" value="{E(pool)}"><input type="hidden" name="username" value="{E(username)}">
              <input type="hidden" name="event" value="{E(eventId)}"><input type="hidden" name="token" value="{E(token)}">
              <input type="hidden" name="value" value="{E(value)}">
              <button type="submit">{E(question)}</button>
            </form>
            """;
        return Page(question, form, 200);
    }

    static async Task<IResult> Submit(HttpContext http, Dispatcher cognito)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        try
        {
            await cognito.Send(new UpdateAuthEventFeedbackRequest
            {
                UserPoolId = form["pool"].ToString(), Username = form["username"].ToString(), EventId = form["event"].ToString(),
                FeedbackToken = form["token"].ToString(), FeedbackValue = form["value"].ToString(),
            }, Caller.Wire(null), http.RequestAborted);
        }
        catch (CognitoException e)
        {
            var text = e is NotAuthorizedException
                ? "This link has already been used or has expired."
                : "This link does not match a sign-in of your account.";
            return Page("Your answer was not recorded", $"<p>{E(text)}</p>", 400);
        }
        var done = form["value"] == "Valid"
            ? "Thank you: the sign-in is recorded as yours."
            : "Thank you: the sign-in is recorded as not yours, and later sign-ins like it will be treated as risky. Change your password if you have not already.";
        return Page("Your answer is recorded", $"<p>{E(done)}</p>", 200);
    }

    static string E(string value) => WebUtility.HtmlEncode(value);

    static IResult Page(string title, string body, int status) => Results.Content($"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{E(title)}</title></head>
        <body><main><h1>{E(title)}</h1>{body}</main></body></html>
        """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
