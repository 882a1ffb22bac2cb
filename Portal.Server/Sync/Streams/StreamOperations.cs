using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;

namespace Portal.Server.Sync.Streams;

sealed class GetSyncStreamStatus(SyncStore store) : IOperation<GetSyncStreamStatusRequest, GetSyncStreamStatusResponse>
{
    public async Task<GetSyncStreamStatusResponse> Handle(GetSyncStreamStatusRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var outbox = store.Db.Set<SyncStreamOutboxRow>().AsNoTracking().Where(r => r.IdentityPoolId == poolId);
        var depth = await outbox.LongCountAsync(ct);
        var oldest = depth == 0 ? null : (DateTimeOffset?)(await outbox.OrderBy(r => r.Id).FirstAsync(ct)).CreatedAt;
        var status = await store.Db.Set<SyncStreamStatusRow>().AsNoTracking().FirstOrDefaultAsync(s => s.IdentityPoolId == poolId, ct);
        return new GetSyncStreamStatusResponse
        {
            OutboxDepth = depth, OldestWaitingSince = oldest, LastDeliveredAt = status?.LastDeliveredAt, LastError = status?.LastError,
            LastErrorAt = status?.LastErrorAt,
        };
    }
}

sealed class SendSyncStreamTestRecord(SyncStore store, StreamOutbox outbox, KinesisClient kinesis, TimeProvider clock)
    : IOperation<SendSyncStreamTestRecordRequest, SendSyncStreamTestRecordResponse>
{
    public async Task<SendSyncStreamTestRecordResponse> Handle(SendSyncStreamTestRecordRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var stream = await outbox.EnabledStream(poolId, ct)
                     ?? throw new InvalidParameterException("Cognito Streams is not ENABLED for this identity pool.", "IdentityPoolId");
        var now = clock.GetUtcNow();
        var identityId = poolId.Split(':')[0] + ":00000000-0000-0000-0000-000000000000";
        var payload = StreamOutbox.Payload(poolId, identityId, "portal-test", 1, now,
            [new Record { Key = "test", Value = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), SyncCount = 1, LastModifiedDate = now }]);
        try
        {
            var result = (await kinesis.PutRecords(stream.StreamName!, stream.RoleArn, [(identityId, Encoding.UTF8.GetBytes(payload.ToJsonString()))], ct))[0];
            return new SendSyncStreamTestRecordResponse
            {
                StreamName = stream.StreamName, SequenceNumber = result.SequenceNumber,
                Error = result.ErrorCode is null ? null : $"{result.ErrorCode}: {result.ErrorMessage}",
            };
        }
        catch (Exception e) when (e is KinesisException or RoleNotAssumedException)
        {
            return new SendSyncStreamTestRecordResponse { StreamName = stream.StreamName, Error = e.Message };
        }
    }
}
