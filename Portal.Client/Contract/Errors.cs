// One exception type per AWS error name; the wire maps each to {"__type": Name}.
namespace Portal.Client.Contract;

public sealed class AccessDeniedException(string message) : CognitoException(nameof(AccessDeniedException), message);
public sealed class AliasExistsException(string message) : CognitoException(nameof(AliasExistsException), message)
{
    /// <summary>"An account with the given {attribute} already exists."</summary>
    public static AliasExistsException For(string? attribute) => new($"An account with the given {attribute} already exists.");
}
public sealed class CodeDeliveryFailureException(string message) : CognitoException(nameof(CodeDeliveryFailureException), message);
public sealed class CodeMismatchException(string message) : CognitoException(nameof(CodeMismatchException), message)
{
    /// <summary>"Invalid verification code provided, please try again."</summary>
    public static CodeMismatchException InvalidCode() => new("Invalid verification code provided, please try again.");
}
public sealed class ConcurrentModificationException(string message) : CognitoException(nameof(ConcurrentModificationException), message)
{
    /// <summary>Two changes of one user pool raced: the later one is refused.</summary>
    public static ConcurrentModificationException UserPool() => new("The user pool was modified by another request at the same time. Try again.");
}
public sealed class DeveloperUserAlreadyRegisteredException(string message) : CognitoException(nameof(DeveloperUserAlreadyRegisteredException), message);
public sealed class DeviceKeyExistsException(string message) : CognitoException(nameof(DeviceKeyExistsException), message);
public sealed class DuplicateProviderException(string message) : CognitoException(nameof(DuplicateProviderException), message);
public sealed class EnableSoftwareTokenMFAException(string message) : CognitoException(nameof(EnableSoftwareTokenMFAException), message)
{
    /// <summary>"Code mismatch": a wrong TOTP code while associating an authenticator.</summary>
    public static EnableSoftwareTokenMFAException CodeMismatch() => new("Code mismatch");
}
public sealed class ExpiredCodeException(string message) : CognitoException(nameof(ExpiredCodeException), message);
public sealed class ExternalServiceException(string message) : CognitoException(nameof(ExternalServiceException), message);
public sealed class FeatureUnavailableInTierException(string message) : CognitoException(nameof(FeatureUnavailableInTierException), message);
public sealed class ForbiddenException(string message) : CognitoException(nameof(ForbiddenException), message);
public sealed class GroupExistsException(string message) : CognitoException(nameof(GroupExistsException), message)
{
    /// <summary>"A group with the name already exists."</summary>
    public static GroupExistsException Named() => new("A group with the name already exists.");
}
public sealed class IncompleteSignatureException(string message) : CognitoException(nameof(IncompleteSignatureException), message);
public sealed class InternalFailure(string message) : CognitoException(nameof(InternalFailure), message);
public sealed class InternalServerException(string message) : CognitoException(nameof(InternalServerException), message);
public sealed class InvalidConfigurationException(string message) : CognitoException(nameof(InvalidConfigurationException), message);
public sealed class InvalidEmailRoleAccessPolicyException(string message) : CognitoException(nameof(InvalidEmailRoleAccessPolicyException), message);
public sealed class InvalidIdentityPoolConfigurationException(string message) : CognitoException(nameof(InvalidIdentityPoolConfigurationException), message);
public sealed class InvalidLambdaResponseException(string message) : CognitoException(nameof(InvalidLambdaResponseException), message);
public sealed class InvalidOAuthFlowException(string message) : CognitoException(nameof(InvalidOAuthFlowException), message);
/// <summary>A request member is missing or wrong. <see cref="Member"/> names it as AWS's validation messages do
/// ('poolName', 'verificationMessageTemplate.emailMessage', 'customAttributes.1.member.name'), or a user attribute by its
/// name ('userAttributes.email'), so a form shows the error at its field; the wire carries it as "member".</summary>
public sealed class InvalidParameterException(string message, string? member = null) : CognitoException(nameof(InvalidParameterException), message)
{
    public string? Member { get; } = member;

    /// <summary>"1 validation error detected: Value null at 'member' failed to satisfy constraint: Member must not be null"</summary>
    public static InvalidParameterException Missing(string member) =>
        new($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null", member);

    /// <summary>"Attributes did not conform to the schema: name: reason"</summary>
    public static InvalidParameterException Schema(string attribute, string reason) =>
        new($"Attributes did not conform to the schema: {attribute}: {reason}", $"userAttributes.{attribute}");

    /// <summary>"Invalid pagination token."</summary>
    public static InvalidParameterException PaginationToken() => new("Invalid pagination token.");

    /// <summary>"No such domain or user pool exists."</summary>
    public static InvalidParameterException NoSuchDomain() => new("No such domain or user pool exists.");

    /// <summary>"Initiate Auth method not supported."</summary>
    public static InvalidParameterException AuthFlowNotSupported() => new("Initiate Auth method not supported.");

    /// <summary>"Invalid SRP_A value."</summary>
    public static InvalidParameterException InvalidSrpA() => new("Invalid SRP_A value.");

    /// <summary>"Unknown trigger {trigger}."</summary>
    public static InvalidParameterException UnknownTrigger(string? trigger) => new($"Unknown trigger {trigger}.");

    /// <summary>A username that looks like the pool's alias: <paramref name="format"/> "email" or "phone number".</summary>
    public static InvalidParameterException UsernameInAliasFormat(string format) =>
        new($"Username cannot be of {format} format, since user pool is configured for {format} alias.", "username");

    /// <summary>"The {attribute} attribute is required to set {verified} to true."</summary>
    public static InvalidParameterException VerifiedWithoutValue(string attribute, string verified) =>
        new($"The {attribute} attribute is required to set {verified} to true.", $"userAttributes.{attribute}");

    /// <summary>"Invalid attribute name: {attribute} cannot be verified; use email or phone_number."</summary>
    public static InvalidParameterException NotVerifiable(string? attribute) =>
        new($"Invalid attribute name: {attribute} cannot be verified; use email or phone_number.");
}
public sealed class InvalidPasswordException(string message) : CognitoException(nameof(InvalidPasswordException), message);
public sealed class InvalidSignatureException(string message) : CognitoException(nameof(InvalidSignatureException), message, 403);
public sealed class InvalidSmsRoleAccessPolicyException(string message) : CognitoException(nameof(InvalidSmsRoleAccessPolicyException), message);
public sealed class InvalidSmsRoleTrustRelationshipException(string message) : CognitoException(nameof(InvalidSmsRoleTrustRelationshipException), message);
public sealed class InvalidUserPoolConfigurationException(string message) : CognitoException(nameof(InvalidUserPoolConfigurationException), message);
public sealed class LimitExceededException(string message) : CognitoException(nameof(LimitExceededException), message);
public sealed class MFAMethodNotFoundException(string message) : CognitoException(nameof(MFAMethodNotFoundException), message);
public sealed class ManagedLoginBrandingExistsException(string message) : CognitoException(nameof(ManagedLoginBrandingExistsException), message);
public sealed class MissingAuthenticationTokenException(string message) : CognitoException(nameof(MissingAuthenticationTokenException), message, 403);
public sealed class NotAuthorizedException(string message) : CognitoException(nameof(NotAuthorizedException), message)
{
    public const string IncorrectPasswordMessage = "Incorrect username or password.";
    public const string UserDisabledMessage = "User is disabled.";
    public const string InvalidSessionMessage = "Invalid session for the user.";

    /// <summary>"Incorrect username or password."</summary>
    public static NotAuthorizedException IncorrectPassword() => new(IncorrectPasswordMessage);

    /// <summary>"User is disabled."</summary>
    public static NotAuthorizedException UserDisabled() => new(UserDisabledMessage);

    /// <summary>"Invalid session for the user."</summary>
    public static NotAuthorizedException InvalidSession() => new(InvalidSessionMessage);

    /// <summary>"Refresh Token has been revoked"</summary>
    public static NotAuthorizedException RefreshTokenRevoked() => new("Refresh Token has been revoked");

    /// <summary>"Access Token does not have required scopes"</summary>
    public static NotAuthorizedException MissingScopes() => new("Access Token does not have required scopes");

    /// <summary>"User cannot be confirmed. Current status is {status}"</summary>
    public static NotAuthorizedException CannotConfirm(string? status) => new($"User cannot be confirmed. Current status is {status}");
}
public sealed class PasswordHistoryPolicyViolationException(string message) : CognitoException(nameof(PasswordHistoryPolicyViolationException), message);
public sealed class PasswordResetRequiredException(string message) : CognitoException(nameof(PasswordResetRequiredException), message)
{
    /// <summary>"Password reset required for the user"</summary>
    public static PasswordResetRequiredException ForUser() => new("Password reset required for the user");
}
public sealed class PreconditionNotMetException(string message) : CognitoException(nameof(PreconditionNotMetException), message);
public sealed class RefreshTokenReuseException(string message) : CognitoException(nameof(RefreshTokenReuseException), message);
public sealed class RequestEntityTooLargeException(string message) : CognitoException(nameof(RequestEntityTooLargeException), message, 413);
public sealed class ResourceConflictException(string message) : CognitoException(nameof(ResourceConflictException), message);
public sealed class ResourceNotFoundException(string message) : CognitoException(nameof(ResourceNotFoundException), message)
{
    /// <summary>"User pool {id} does not exist."</summary>
    public static ResourceNotFoundException UserPool(string? id) => new($"User pool {id} does not exist.");

    /// <summary>"User pool client {id} does not exist."</summary>
    public static ResourceNotFoundException AppClient(string? id) => new($"User pool client {id} does not exist.");

    /// <summary>"Resource {arn} does not exist."</summary>
    public static ResourceNotFoundException Resource(string? arn) => new($"Resource {arn} does not exist.");

    /// <summary>"Trigger invocation {id} does not exist."</summary>
    public static ResourceNotFoundException TriggerInvocation(Guid? id) => new($"Trigger invocation {id} does not exist.");
}
public sealed class ScopeDoesNotExistException(string message) : CognitoException(nameof(ScopeDoesNotExistException), message);
public sealed class SerializationException(string message) : CognitoException(nameof(SerializationException), message);
public sealed class SoftwareTokenMFANotFoundException(string message) : CognitoException(nameof(SoftwareTokenMFANotFoundException), message);
public sealed class TermsExistsException(string message) : CognitoException(nameof(TermsExistsException), message);
public sealed class TierChangeNotAllowedException(string message) : CognitoException(nameof(TierChangeNotAllowedException), message);
public sealed class TooManyFailedAttemptsException(string message) : CognitoException(nameof(TooManyFailedAttemptsException), message);
public sealed class TooManyRequestsException(string message) : CognitoException(nameof(TooManyRequestsException), message);
public sealed class UnauthorizedException(string message) : CognitoException(nameof(UnauthorizedException), message)
{
    /// <summary>"Client is not authorized."</summary>
    public static UnauthorizedException Client() => new("Client is not authorized.");
}
public sealed class UnexpectedLambdaException(string message) : CognitoException(nameof(UnexpectedLambdaException), message);
public sealed class UnknownOperationException(string message) : CognitoException(nameof(UnknownOperationException), message);
public sealed class UnrecognizedClientException(string message) : CognitoException(nameof(UnrecognizedClientException), message);
public sealed class UnsupportedIdentityProviderException(string message) : CognitoException(nameof(UnsupportedIdentityProviderException), message);
public sealed class UnsupportedOperationException(string message) : CognitoException(nameof(UnsupportedOperationException), message);
public sealed class UnsupportedTokenTypeException(string message) : CognitoException(nameof(UnsupportedTokenTypeException), message);
public sealed class UnsupportedUserStateException(string message) : CognitoException(nameof(UnsupportedUserStateException), message);
public sealed class UserImportInProgressException(string message) : CognitoException(nameof(UserImportInProgressException), message);
public sealed class UserLambdaValidationException(string message) : CognitoException(nameof(UserLambdaValidationException), message);
public sealed class UserNotConfirmedException(string message) : CognitoException(nameof(UserNotConfirmedException), message)
{
    /// <summary>"User is not confirmed."</summary>
    public static UserNotConfirmedException ForUser() => new("User is not confirmed.");
}
public sealed class UserNotFoundException(string message) : CognitoException(nameof(UserNotFoundException), message)
{
    /// <summary>"User does not exist."</summary>
    public static UserNotFoundException DoesNotExist() => new("User does not exist.");

    /// <summary>"Username/client id combination not found.": the self-service operations' answer for an unknown user.</summary>
    public static UserNotFoundException ForClient() => new("Username/client id combination not found.");
}
public sealed class UserPoolAddOnNotEnabledException(string message) : CognitoException(nameof(UserPoolAddOnNotEnabledException), message);
public sealed class UserPoolTaggingException(string message) : CognitoException(nameof(UserPoolTaggingException), message);
public sealed class UsernameExistsException(string message) : CognitoException(nameof(UsernameExistsException), message)
{
    /// <summary>"User account already exists"</summary>
    public static UsernameExistsException Account() => new("User account already exists");
}
public sealed class WebAuthnChallengeNotFoundException(string message) : CognitoException(nameof(WebAuthnChallengeNotFoundException), message);
public sealed class WebAuthnClientMismatchException(string message) : CognitoException(nameof(WebAuthnClientMismatchException), message);
public sealed class WebAuthnConfigurationMissingException(string message) : CognitoException(nameof(WebAuthnConfigurationMissingException), message);
public sealed class WebAuthnCredentialNotSupportedException(string message) : CognitoException(nameof(WebAuthnCredentialNotSupportedException), message);
public sealed class WebAuthnNotEnabledException(string message) : CognitoException(nameof(WebAuthnNotEnabledException), message);
public sealed class WebAuthnOriginNotAllowedException(string message) : CognitoException(nameof(WebAuthnOriginNotAllowedException), message);
public sealed class WebAuthnRelyingPartyMismatchException(string message) : CognitoException(nameof(WebAuthnRelyingPartyMismatchException), message);
public sealed class InternalErrorException(string message) : CognitoException(nameof(InternalErrorException), message, 500);
