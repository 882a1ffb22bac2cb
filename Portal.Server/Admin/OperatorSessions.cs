using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Security;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.Admin;

/// <summary><c>Portal:Admin:Session</c>: how often a portal session is checked against the administration pool, and how
/// long it may last at most whatever the activity.</summary>
public sealed class OperatorSessionOptions
{
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>
/// Portal sessions re-checked against the administration pool: the operator still exists, is enabled, has not been signed
/// out globally since the session began, and their role is what their groups say now. Sessions of an external authority
/// (<c>Portal:Admin:Authority</c>) only end at the absolute lifetime: Portal cannot see that provider's users.
/// </summary>
public sealed class OperatorSessions(IServiceScopeFactory scopes, Bootstrap bootstrap, IOptions<AdminOptions> admin,
    IOptions<OperatorSessionOptions> options, TimeProvider clock)
{
    public const string StartedClaim = "portal:session_started";
    public const string CheckedClaim = "portal:session_checked";

    public TimeSpan CheckInterval => options.Value.CheckInterval;
    public TimeSpan AbsoluteLifetime => options.Value.AbsoluteLifetime;

    /// <summary>The administration pool, whose changes only administrators may make (null when Portal did not create one).</summary>
    public string? AdministrationPoolId => bootstrap.Created?.AdminPoolId;

    /// <summary>Whether the principal is a portal session (started by the cookie sign-in) rather than a principal made in process.</summary>
    public static bool IsSession(ClaimsPrincipal user) => user.FindFirst(StartedClaim) is not null;

    /// <summary>The role the principal has now, or null when its session has ended (lifetime over, user gone, disabled,
    /// signed out globally, or no portal group left).</summary>
    public async Task<string?> CurrentRole(ClaimsPrincipal user, CancellationToken ct)
    {
        var claimed = user.FindFirst(ClaimTypes.Role)?.Value ?? OperatorRoles.Of(user, admin.Value.GroupClaim);
        if (!IsSession(user)) return claimed;
        if (Time(user, StartedClaim) is not { } started || clock.GetUtcNow() - started > options.Value.AbsoluteLifetime) return null;
        if (!string.IsNullOrEmpty(admin.Value.Authority) || AdministrationPoolId is not { } pool) return claimed;
        if (user.FindFirst("sub")?.Value is not { } sub) return null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserPoolId == pool && u.Sub == sub, ct);
        if (row is null || !row.Enabled || TokenRevocation.SignedOutSince(row, started)) return null;
        var groups = await db.GroupMembers.AsNoTracking().Where(m => m.UserPoolId == pool && m.UserSub == sub).Select(m => m.GroupName).ToListAsync(ct);
        return OperatorRoles.Of(new ClaimsPrincipal(new ClaimsIdentity(groups.Select(g => new Claim("cognito:groups", g)))));
    }

    /// <summary>A session time claim: Unix milliseconds, or whole seconds in cookies written before (told apart by size).</summary>
    internal static DateTimeOffset? Time(ClaimsPrincipal user, string claim) =>
        long.TryParse(user.FindFirst(claim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value > MillisecondsFrom ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value)
            : null;

    const long MillisecondsFrom = 100_000_000_000;   // as seconds, the year 5138; as milliseconds, 1973

    /// <summary>Milliseconds, so a global sign-out in the same second as the sign-in still ends the session
    /// (whole seconds would let a session begun in that second outlive it).</summary>
    internal static string Stamp(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The portal cookie's events: a session starts with its start time, and is checked again once per interval.</summary>
    public sealed class Cookie(OperatorSessions sessions, TimeProvider clock) : CookieAuthenticationEvents
    {
        public override Task SigningIn(CookieSigningInContext context)
        {
            if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(StartedClaim) is null)
            {
                var now = Stamp(clock.GetUtcNow());
                identity.AddClaim(new Claim(StartedClaim, now));
                identity.AddClaim(new Claim(CheckedClaim, now));
            }
            return Task.CompletedTask;
        }

        public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
        {
            var user = context.Principal!;
            var now = clock.GetUtcNow();
            // A cookie from before sessions were checked has no start: it signs in again.
            if (!IsSession(user)) { await End(context); return; }
            var due = Time(user, CheckedClaim) is not { } checkedAt || now - checkedAt >= sessions.CheckInterval
                      || now - Time(user, StartedClaim)!.Value > sessions.AbsoluteLifetime;
            if (!due) return;
            var role = await sessions.CurrentRole(user, context.HttpContext.RequestAborted);
            if (role is null) { await End(context); return; }
            var identity = new ClaimsIdentity(user.Claims.Where(c => c.Type is not (ClaimTypes.Role or CheckedClaim)),
                user.Identity!.AuthenticationType, "cognito:username", ClaimTypes.Role);
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
            identity.AddClaim(new Claim(CheckedClaim, Stamp(now)));
            context.ReplacePrincipal(new ClaimsPrincipal(identity));
            context.ShouldRenew = true;
        }

        static async Task End(CookieValidatePrincipalContext context)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>An open Blazor circuit keeps its authentication state: it is checked on the same interval, and a circuit
    /// whose session ended or whose role changed loses its user (the next page load signs in with the current role).</summary>
    public sealed class Circuit(ILoggerFactory logs, OperatorSessions sessions) : RevalidatingServerAuthenticationStateProvider(logs)
    {
        protected override TimeSpan RevalidationInterval => sessions.CheckInterval;

        protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
            !OperatorSessions.IsSession(state.User)
            || await sessions.CurrentRole(state.User, ct) is { } role && role == state.User.FindFirst(ClaimTypes.Role)?.Value;
    }
}

public static class OperatorSessionRegistration
{
    public static IServiceCollection AddOperatorSessions(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<OperatorSessionOptions>(portal.GetSection("Admin:Session"));
        services.AddSingleton<OperatorSessions>();
        services.AddScoped(sp => new AdministrationPool(sp.GetRequiredService<OperatorSessions>().AdministrationPoolId));
        services.AddScoped<OperatorSessions.Cookie>();
        services.AddScoped<AuthenticationStateProvider, OperatorSessions.Circuit>();
        return services;
    }
}
