// One exception type per AWS error name; the wire maps each to {"__type": Name}.
namespace Portal.Client.Contract;

public sealed class AccessDeniedException(string message) : CognitoException(nameof(AccessDeniedException), message);
public sealed class AliasExistsException(string message) : CognitoException(nameof(AliasExistsException), message);
public sealed class CodeDeliveryFailureException(string message) : CognitoException(nameof(CodeDeliveryFailureException), message);
public sealed class CodeMismatchException(string message) : CognitoException(nameof(CodeMismatchException), message);
public sealed class ConcurrentModificationException(string message) : CognitoException(nameof(ConcurrentModificationException), message);
public sealed class DeveloperUserAlreadyRegisteredException(string message) : CognitoException(nameof(DeveloperUserAlreadyRegisteredException), message);
public sealed class DeviceKeyExistsException(string message) : CognitoException(nameof(DeviceKeyExistsException), message);
public sealed class DuplicateProviderException(string message) : CognitoException(nameof(DuplicateProviderException), message);
public sealed class EnableSoftwareTokenMFAException(string message) : CognitoException(nameof(EnableSoftwareTokenMFAException), message);
public sealed class ExpiredCodeException(string message) : CognitoException(nameof(ExpiredCodeException), message);
public sealed class ExternalServiceException(string message) : CognitoException(nameof(ExternalServiceException), message);
public sealed class FeatureUnavailableInTierException(string message) : CognitoException(nameof(FeatureUnavailableInTierException), message);
public sealed class ForbiddenException(string message) : CognitoException(nameof(ForbiddenException), message);
public sealed class GroupExistsException(string message) : CognitoException(nameof(GroupExistsException), message);
public sealed class IncompleteSignatureException(string message) : CognitoException(nameof(IncompleteSignatureException), message);
public sealed class InternalFailure(string message) : CognitoException(nameof(InternalFailure), message);
public sealed class InternalServerException(string message) : CognitoException(nameof(InternalServerException), message);
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
public sealed class NotAuthorizedException(string message) : CognitoException(nameof(NotAuthorizedException), message);
public sealed class PasswordHistoryPolicyViolationException(string message) : CognitoException(nameof(PasswordHistoryPolicyViolationException), message);
public sealed class PasswordResetRequiredException(string message) : CognitoException(nameof(PasswordResetRequiredException), message);
public sealed class PreconditionNotMetException(string message) : CognitoException(nameof(PreconditionNotMetException), message);
public sealed class RefreshTokenReuseException(string message) : CognitoException(nameof(RefreshTokenReuseException), message);
public sealed class RequestEntityTooLargeException(string message) : CognitoException(nameof(RequestEntityTooLargeException), message, 413);
public sealed class ResourceConflictException(string message) : CognitoException(nameof(ResourceConflictException), message);
public sealed class ResourceNotFoundException(string message) : CognitoException(nameof(ResourceNotFoundException), message);
public sealed class ScopeDoesNotExistException(string message) : CognitoException(nameof(ScopeDoesNotExistException), message);
public sealed class SerializationException(string message) : CognitoException(nameof(SerializationException), message);
public sealed class SoftwareTokenMFANotFoundException(string message) : CognitoException(nameof(SoftwareTokenMFANotFoundException), message);
public sealed class TermsExistsException(string message) : CognitoException(nameof(TermsExistsException), message);
public sealed class TierChangeNotAllowedException(string message) : CognitoException(nameof(TierChangeNotAllowedException), message);
public sealed class TooManyFailedAttemptsException(string message) : CognitoException(nameof(TooManyFailedAttemptsException), message);
public sealed class TooManyRequestsException(string message) : CognitoException(nameof(TooManyRequestsException), message);
public sealed class UnauthorizedException(string message) : CognitoException(nameof(UnauthorizedException), message);
public sealed class UnexpectedLambdaException(string message) : CognitoException(nameof(UnexpectedLambdaException), message);
public sealed class UnknownOperationException(string message) : CognitoException(nameof(UnknownOperationException), message);
public sealed class UnrecognizedClientException(string message) : CognitoException(nameof(UnrecognizedClientException), message);
public sealed class UnsupportedIdentityProviderException(string message) : CognitoException(nameof(UnsupportedIdentityProviderException), message);
public sealed class UnsupportedOperationException(string message) : CognitoException(nameof(UnsupportedOperationException), message);
public sealed class UnsupportedTokenTypeException(string message) : CognitoException(nameof(UnsupportedTokenTypeException), message);
public sealed class UnsupportedUserStateException(string message) : CognitoException(nameof(UnsupportedUserStateException), message);
public sealed class UserImportInProgressException(string message) : CognitoException(nameof(UserImportInProgressException), message);
public sealed class UserLambdaValidationException(string message) : CognitoException(nameof(UserLambdaValidationException), message);
public sealed class UserNotConfirmedException(string message) : CognitoException(nameof(UserNotConfirmedException), message);
public sealed class UserNotFoundException(string message) : CognitoException(nameof(UserNotFoundException), message);
public sealed class UserPoolAddOnNotEnabledException(string message) : CognitoException(nameof(UserPoolAddOnNotEnabledException), message);
public sealed class UserPoolTaggingException(string message) : CognitoException(nameof(UserPoolTaggingException), message);
public sealed class UsernameExistsException(string message) : CognitoException(nameof(UsernameExistsException), message);
public sealed class WebAuthnChallengeNotFoundException(string message) : CognitoException(nameof(WebAuthnChallengeNotFoundException), message);
public sealed class WebAuthnClientMismatchException(string message) : CognitoException(nameof(WebAuthnClientMismatchException), message);
public sealed class WebAuthnConfigurationMissingException(string message) : CognitoException(nameof(WebAuthnConfigurationMissingException), message);
public sealed class WebAuthnCredentialNotSupportedException(string message) : CognitoException(nameof(WebAuthnCredentialNotSupportedException), message);
public sealed class WebAuthnNotEnabledException(string message) : CognitoException(nameof(WebAuthnNotEnabledException), message);
public sealed class WebAuthnOriginNotAllowedException(string message) : CognitoException(nameof(WebAuthnOriginNotAllowedException), message);
public sealed class WebAuthnRelyingPartyMismatchException(string message) : CognitoException(nameof(WebAuthnRelyingPartyMismatchException), message);
public sealed class InternalErrorException(string message) : CognitoException(nameof(InternalErrorException), message, 500);
