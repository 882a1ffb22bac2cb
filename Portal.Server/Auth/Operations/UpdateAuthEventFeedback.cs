using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.ThreatProtection;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>The user says whether an event was theirs (Valid) or not (Invalid), with the feedback token of the event's risk
/// notification (the links of that email call this too, through <see cref="FeedbackEndpoint"/>). The token is kept only
/// as its SHA-256, works until it expires and once: the feedback is written by a conditional update that also clears it,
/// so two clicks at once record one. Feedback changes the scoring of later sign-ins (<see cref="AdaptiveAuthentication"/>).</summary>
sealed class UpdateAuthEventFeedback(PortalDb db, UserPoolStore pools, UserStore users, TimeProvider clock)
    : IOperation<UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse>
{
    public const string InvalidToken = "The feedback token is not valid for this event: it is unknown, already used or expired.";

    public async Task<UpdateAuthEventFeedbackResponse> Handle(UpdateAuthEventFeedbackRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        AuthEvents.RequireRecorded(pool);
        var user = await users.Get(pool, request.Username, ct);
        var (sub, eventId, value) = (user.Sub, request.EventId!, request.FeedbackValue!);
        var hash = RiskNotifications.TokenHash(request.FeedbackToken!);
        var now = clock.GetUtcNow();
        var updated = await db.AuthEvents
            .Where(e => e.EventId == eventId && e.UserSub == sub && e.FeedbackTokenHash == hash && e.FeedbackTokenExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.FeedbackValue, value)
                .SetProperty(e => e.FeedbackProvider, "Cognito")
                .SetProperty(e => e.FeedbackAt, now)
                .SetProperty(e => e.FeedbackTokenHash, (string?)null)
                .SetProperty(e => e.FeedbackTokenExpiresAt, (DateTimeOffset?)null), ct);
        if (updated == 1) return new UpdateAuthEventFeedbackResponse();
        if (!await db.AuthEvents.AnyAsync(e => e.EventId == eventId && e.UserSub == sub, ct))
            throw new ResourceNotFoundException($"Auth event {eventId} of user {request.Username} does not exist.");
        throw new NotAuthorizedException(InvalidToken);
    }
}
