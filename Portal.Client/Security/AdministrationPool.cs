namespace Portal.Client.Security;

/// <summary>The user pool whose groups are the portal's roles (null when operators sign in elsewhere).</summary>
public sealed record AdministrationPool(string? UserPoolId);
