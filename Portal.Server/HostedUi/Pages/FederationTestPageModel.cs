using System.Diagnostics.CodeAnalysis;
using Portal.Server.Federation;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the page of an administrator's test sign-in renders: the provider's answer and what it signs in as.</summary>
public sealed record FederationTestPageModel : PageModel
{
    [SetsRequiredMembers]
    public FederationTestPageModel(PageModel page, FederationTestResult result) : base(page) => Result = result;

    public FederationTestResult Result { get; init; }
}
