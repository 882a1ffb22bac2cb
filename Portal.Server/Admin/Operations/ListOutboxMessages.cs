using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Admin.Operations;

/// <summary>The outbox, newest first, for development setups and support: what was sent where and how delivery went,
/// with the codes and temporary passwords masked so that reading the outbox never lets an operator act as a user.</summary>
sealed partial class ListOutboxMessages(PortalDb db) : IOperation<ListOutboxMessagesRequest, ListOutboxMessagesResponse>
{
    public const string Mask = "••••••";

    public async Task<ListOutboxMessagesResponse> Handle(ListOutboxMessagesRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? 25;
        var query = db.Outbox.AsNoTracking().AsQueryable();
        if (request.UserPoolId is { } poolId) query = query.Where(m => m.UserPoolId == poolId);
        if (request.Channel is { } channel) query = query.Where(m => m.Channel == channel);
        if (PageToken.After("outbox", request.NextToken) is { } after)
        {
            var (created, id) = Key(after);
            query = query.Where(m => m.CreatedAt < created || (m.CreatedAt == created && m.Id.CompareTo(id) < 0));
        }
        var page = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(limit + 1).ToListAsync(ct);
        var more = page.Count > limit;
        if (more) page.RemoveAt(limit);

        var poolIds = page.Select(m => m.UserPoolId).OfType<string>().Distinct().ToList();
        var settings = (await db.UserPools.AsNoTracking().Where(p => poolIds.Contains(p.Id)).ToListAsync(ct))
            .ToDictionary(p => p.Id, UserPoolStore.Read);
        return new ListOutboxMessagesResponse
        {
            Messages = page.Select(m => new OutboxMessageType
            {
                Id = m.Id.ToString(), UserPoolId = m.UserPoolId, Channel = m.Channel, Destination = m.Destination, Subject = m.Subject,
                Body = Masked(m.Body, TemplatesOf(m.UserPoolId is null ? null : settings.GetValueOrDefault(m.UserPoolId))),
                Status = m.DeliveryStatus, CreatedAt = m.CreatedAt,
            }).ToList(),
            NextToken = more ? PageToken.Next("outbox", $"{page[^1].CreatedAt.UtcTicks}:{page[^1].Id}") : null,
        };
    }

    static (DateTimeOffset Created, Guid Id) Key(string key)
    {
        var split = key.IndexOf(':');
        if (split > 0 && long.TryParse(key[..split], out var ticks) && Guid.TryParse(key[(split + 1)..], out var id))
            return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        throw InvalidParameterException.PaginationToken();
    }

    /// <summary>Every template of the pool a message with a code could have been rendered from, Cognito's defaults included.</summary>
    public static IEnumerable<string> TemplatesOf(UserPoolType? pool)
    {
        string?[] all =
        [
            pool?.VerificationMessageTemplate?.EmailMessage, pool?.VerificationMessageTemplate?.SmsMessage,
            pool?.EmailVerificationMessage, pool?.SmsVerificationMessage, pool?.SmsAuthenticationMessage,
            pool?.AdminCreateUserConfig?.InviteMessageTemplate?.EmailMessage, pool?.AdminCreateUserConfig?.InviteMessageTemplate?.SMSMessage,
            Templates.DefaultVerificationMessage, Templates.DefaultInvitationMessage,
        ];
        return all.OfType<string>().Where(t => t.Contains("{####}", StringComparison.Ordinal)).Distinct();
    }

    /// <summary>The body with what the template's {####} became replaced by <see cref="Mask"/>. A body no template explains
    /// (a CustomMessage trigger's, or a template changed since) has every run of 4+ digits and every word mixing letters
    /// with digits or symbols masked instead: codes and generated passwords look like that, prose does not.</summary>
    public static string Masked(string body, IEnumerable<string> templates)
    {
        foreach (var template in templates)
        {
            var pattern = "^" + Regex.Escape(template).Replace(@"\{\#\#\#\#}", "(?<code>.+?)").Replace(@"\{username}", ".*?") + "$";
            Match match;
            try { match = Regex.Match(body, pattern, RegexOptions.Singleline, TimeSpan.FromMilliseconds(200)); }
            catch (RegexMatchTimeoutException) { continue; }
            if (!match.Success) continue;
            var masked = body;
            foreach (var capture in match.Groups["code"].Captures.OrderByDescending(c => c.Index))
                masked = masked[..capture.Index] + Mask + masked[(capture.Index + capture.Length)..];
            return masked;
        }
        return CodeLike().Replace(body, Mask);
    }

    [GeneratedRegex(@"(?<![\w])\d{4,}(?![\w])|(?<!\S)(?=\S*\d)(?=\S*[A-Za-z])\S{6,}(?<![.,;:!?])")]
    private static partial Regex CodeLike();
}
