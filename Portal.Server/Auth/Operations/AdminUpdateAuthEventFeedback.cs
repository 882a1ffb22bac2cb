using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>An administrator says whether an event was the user's own (Valid) or not (Invalid).</summary>
sealed class AdminUpdateAuthEventFeedback(PortalDb db, UserPoolStore pools, UserStore users, TimeProvider clock)
    : IOperation<AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse>
{
    public async Task<AdminUpdateAuthEventFeedbackResponse> Handle(AdminUpdateAuthEventFeedbackRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        AuthEvents.RequireRecorded(pool);
        var user = await users.Get(pool, request.Username, ct);
        var row = await db.AuthEvents.FirstOrDefaultAsync(e => e.EventId == request.EventId && e.UserSub == user.Sub, ct)
                  ?? throw new ResourceNotFoundException($"Auth event {request.EventId} of user {request.Username} does not exist.");
        row.FeedbackValue = request.FeedbackValue;
        row.FeedbackProvider = "Admin";
        row.FeedbackAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new AdminUpdateAuthEventFeedbackResponse();
    }
}
