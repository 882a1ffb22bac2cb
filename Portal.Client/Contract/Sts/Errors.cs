// STS errors: the type is the Query protocol's error code, the status STS answers with.
namespace Portal.Client.Contract.Sts;

/// <summary>AssumeRoleWithWebIdentity: the web identity token has expired.</summary>
public sealed class ExpiredTokenException(string message) : CognitoException("ExpiredTokenException", message);
/// <summary>A request signed with temporary credentials whose session has ended (the Query protocol calls it ExpiredToken).</summary>
public sealed class ExpiredSessionException(string message) : CognitoException("ExpiredTokenException", message, 403);
public sealed class InvalidIdentityTokenException(string message) : CognitoException("InvalidIdentityToken", message);
public sealed class IdpRejectedClaimException(string message) : CognitoException("IDPRejectedClaim", message, 403);
public sealed class IdpCommunicationErrorException(string message) : CognitoException("IDPCommunicationError", message);
/// <summary>The access key id or session token of a request is not one this service issued (or was tampered with).</summary>
public sealed class InvalidClientTokenIdException(string message) : CognitoException("InvalidClientTokenId", message, 403);
public sealed class StsAccessDeniedException(string message) : CognitoException("AccessDenied", message, 403);
public sealed class PackedPolicyTooLargeException(string message) : CognitoException("PackedPolicyTooLarge", message);
