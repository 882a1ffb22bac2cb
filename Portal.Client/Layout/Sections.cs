using MudBlazor;

namespace Portal.Client.Layout;

/// <summary>The portal's navigation: one entry per section, in the order operators meet them.</summary>
public static class Sections
{
    public sealed record Section(string Title, string Href, string Icon, string Purpose);

    public static IReadOnlyList<Section> All { get; } =
    [
        new("Dashboard", "", Icons.Material.Filled.Dashboard, "Counts per pool and sign-ins per day."),
        new("Pools", "pools", Icons.Material.Filled.Storage, "User pools: create, configure and delete."),
        new("Users", "users", Icons.Material.Filled.People, "Browse and search users of a pool; create, disable, reset and delete them."),
        new("User imports", "user-imports", Icons.Material.Filled.UploadFile, "Import users from a CSV file: Cognito's import jobs with their progress, counts and the reason for each row that failed."),
        new("Groups", "groups", Icons.Material.Filled.Groups, "Groups of a pool with precedence, role ARN and members."),
        new("App clients", "clients", Icons.Material.Filled.Apps, "App clients: auth flows, callback URLs, scopes, token validity and secrets."),
        new("Branding", "branding", Icons.Material.Filled.Palette, "The hosted sign-in UI's logo, CSS and theme, with a live preview."),
        new("Federation", "federation", Icons.Material.Filled.Hub, "Social, OIDC and SAML identity providers and attribute mapping."),
        new("Triggers", "triggers", Icons.Material.Filled.Bolt, "Lambda-style triggers, their targets and their invocation logs."),
        new("Identity pools", "identity-pools", Icons.Material.Filled.Key, "Identity pools: who may exchange which sign-in for temporary AWS credentials, under which IAM role."),
        new("IAM roles", "iam/roles", Icons.Material.Filled.Badge, "IAM roles: who may assume them (the trust policy) and what they allow (permission policies)."),
        new("Managed policies", "iam/policies", Icons.Material.Filled.Description, "IAM managed policies: documents with versions, attached to roles; the default version is the one in force."),
        new("Policy simulator", "iam/simulator", Icons.Material.Filled.Policy, "Would a request be allowed? An identity's, a role's or a pasted policy's decision on an action and resource, with the deciding statement highlighted."),
        new("Gateway", "gateway", Icons.Material.Filled.Router, "The gateway's routes (S3 storage, HTTP APIs with IAM or JWT authorizers, ALB sign-in) and every decision it made."),
        new("Sync", "sync", Icons.Material.Filled.Sync, "Per-identity datasets synchronised across devices."),
        new("Outbox", "outbox", Icons.Material.Filled.Outbox, "Emails and SMS Portal sent, per pool, newest first, with codes masked."),
        new("Audit", "audit", Icons.Material.Filled.History, "Every change an operator made: who, what, when, before and after."),
        new(TestingTitle, "testing", Icons.Material.Filled.Science, "Testing mode for your app's end-to-end suites: every code Portal sent, pool reset and clone, and the routes your suite calls."),
    ];

    /// <summary>Shown only while testing mode is on (<see cref="Contract.ITestingMode"/>).</summary>
    public const string TestingTitle = "Testing";
}
