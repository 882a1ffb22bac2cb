// IAM and STS errors: the type is the Query protocol's error code (<Error><Code>…</Code>), the status IAM answers with.
namespace Portal.Client.Contract.Iam;

public sealed class NoSuchEntityException(string message) : CognitoException("NoSuchEntity", message, 404);
public sealed class EntityAlreadyExistsException(string message) : CognitoException("EntityAlreadyExists", message, 409);
public sealed class MalformedPolicyDocumentException(string message) : CognitoException("MalformedPolicyDocument", message);
public sealed class InvalidInputException(string message) : CognitoException("InvalidInput", message);
public sealed class DeleteConflictException(string message) : CognitoException("DeleteConflict", message, 409);
public sealed class IamLimitExceededException(string message) : CognitoException("LimitExceeded", message, 409);
/// <summary>IAM's and STS's validation failure of a request member (the Query protocol's ValidationError).</summary>
public sealed class ValidationErrorException(string message) : CognitoException("ValidationError", message);
