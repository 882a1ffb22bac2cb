using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>Pages of a pool's users for ListUsers, read in the order of an index of the Users table: keyset paging
/// (the next page starts after the last key, never OFFSET) and prefixes as ranges of the indexed column, so a page
/// costs the same on a pool of a million users as on a pool of ten.</summary>
public sealed class UserSearch(PortalDb db)
{
    /// <summary>Just above every string that starts with a prefix, in the byte order of SQLite's BINARY and
    /// PostgreSQL's "C" collation (U+10FFFF has the highest UTF-8 encoding).</summary>
    static readonly string Highest = char.ConvertFromUtf32(0x10FFFF);

    /// <summary>Cognito's user statuses, in the order ListUsers walks them for a cognito:user_status prefix.</summary>
    static readonly string[] Statuses = UserStatus.All.Order(StringComparer.Ordinal).ToArray();

    public sealed record Page(List<UserRow> Users, string?[]? NextKeys);

    /// <summary>How many keys a page boundary has for this filter (what a pagination token carries).</summary>
    public static int KeyCount(UserFilter? filter) => filter?.Attribute switch
    {
        null or "username" or "status" or "sub" => 1,
        _ => 2,
    };

    public async Task<Page> Find(UserPoolRow pool, UserFilter? filter, string?[]? after, int limit, CancellationToken ct)
    {
        var poolId = pool.Id;
        var users = db.Users.AsNoTracking();
        if (filter is not { Attribute: "sub", Prefix: true }) users = users.Where(u => u.UserPoolId == poolId);
        if (filter?.Attribute == "cognito:user_status") return await ByStatus(users, filter, after, limit, ct);
        var (query, next) = filter?.Attribute switch
        {
            null => ByUsernameKey(users, null, null, after),
            "username" => Username(users, pool, filter, after),
            "email" => ByColumn(users, u => u.Email, filter, after),
            "phone_number" => ByColumn(users, u => u.PhoneNumber, filter, after),
            "name" => ByColumn(users, u => u.Name, filter, after),
            "given_name" => ByColumn(users, u => u.GivenName, filter, after),
            "family_name" => ByColumn(users, u => u.FamilyName, filter, after),
            "preferred_username" => ByColumn(users, u => u.PreferredUsername, filter, after),
            "status" => Enabled(users, filter, after),
            "sub" => Sub(users, poolId, filter, after),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
        var rows = await query.Take(limit + 1).ToListAsync(ct);
        if (rows.Count <= limit) return new Page(rows, null);
        rows.RemoveAt(limit);
        return new Page(rows, next(rows[^1]));
    }

    // The whole pool, or a username (exact or prefix) on the unique (UserPoolId, UsernameKey) index.
    static (IQueryable<UserRow>, Func<UserRow, string?[]>) ByUsernameKey(IQueryable<UserRow> users, string? exact, string? prefix, string?[]? after)
    {
        if (exact is not null) users = users.Where(u => u.UsernameKey == exact);
        if (prefix is not null)
        {
            var end = prefix + Highest;
            users = users.Where(u => string.Compare(u.UsernameKey, prefix) >= 0 && string.Compare(u.UsernameKey, end) < 0);
        }
        if (after is not null)
        {
            var last = after[0];
            users = users.Where(u => string.Compare(u.UsernameKey, last) > 0);
        }
        return (users.OrderBy(u => u.UsernameKey), u => [u.UsernameKey]);
    }

    static (IQueryable<UserRow>, Func<UserRow, string?[]>) Username(IQueryable<UserRow> users, UserPoolRow pool, UserFilter filter, string?[]? after)
    {
        var key = UserStore.Key(pool, filter.Value);
        return filter.Prefix ? ByUsernameKey(users, null, key, after) : ByUsernameKey(users, key, null, after);
    }

    // A searchable attribute on its (UserPoolId, column) index, ordered by the column then the sub for ties.
    static (IQueryable<UserRow>, Func<UserRow, string?[]>) ByColumn(IQueryable<UserRow> users,
        Expression<Func<UserRow, string?>> column, UserFilter filter, string?[]? after)
    {
        var value = filter.Value;
        var read = column.Compile();
        if (!filter.Prefix)
        {
            users = users.Where(On(column, (u, c) => c == value));
            if (after is not null)
            {
                var lastSub = after[1];
                users = users.Where(u => string.Compare(u.Sub, lastSub) > 0);
            }
            return (users.OrderBy(u => u.Sub), u => [read(u), u.Sub]);
        }
        var end = value + Highest;
        users = users.Where(On(column, (u, c) => string.Compare(c, value) >= 0 && string.Compare(c, end) < 0));
        if (after is not null)
        {
            var (lastValue, lastSub) = (after[0], after[1]);
            users = users.Where(On(column, (u, c) =>
                string.Compare(c, lastValue) >= 0 && (string.Compare(c, lastValue) > 0 || string.Compare(u.Sub, lastSub) > 0)));
        }
        return (users.OrderBy(column).ThenBy(u => u.Sub), u => [read(u), u.Sub]);
    }

    // cognito:user_status is matched case-insensitively. Each matching status (one, or the few a prefix names) is
    // read in turn on the (UserPoolId, Status, UsernameKey) index, so every query seeks straight to its page.
    static async Task<Page> ByStatus(IQueryable<UserRow> users, UserFilter filter, string?[]? after, int limit, CancellationToken ct)
    {
        var value = filter.Value.ToUpperInvariant();
        var statuses = filter.Prefix ? Statuses.Where(s => s.StartsWith(value, StringComparison.Ordinal)).ToArray() : [value];
        var rows = new List<UserRow>();
        foreach (var status in statuses)
        {
            if (after is not null && string.CompareOrdinal(status, after[0]) < 0) continue;
            var query = users.Where(u => u.Status == status);
            if (after is not null && status == after[0])
            {
                var lastKey = after[1];
                query = query.Where(u => string.Compare(u.UsernameKey, lastKey) > 0);
            }
            rows.AddRange(await query.OrderBy(u => u.UsernameKey).Take(limit + 1 - rows.Count).ToListAsync(ct));
            if (rows.Count > limit) break;
        }
        if (rows.Count <= limit) return new Page(rows, null);
        rows.RemoveAt(limit);
        return new Page(rows, [rows[^1].Status, rows[^1].UsernameKey]);
    }

    // status is "Enabled" or "Disabled" (case-sensitive); the (UserPoolId, Enabled, UsernameKey) index orders the page.
    static (IQueryable<UserRow>, Func<UserRow, string?[]>) Enabled(IQueryable<UserRow> users, UserFilter filter, string?[]? after)
    {
        bool Matches(string word) => filter.Prefix ? word.StartsWith(filter.Value, StringComparison.Ordinal) : word == filter.Value;
        var (enabled, disabled) = (Matches("Enabled"), Matches("Disabled"));
        if (enabled && disabled) return ByUsernameKey(users, null, null, after);
        if (!enabled && !disabled) users = users.Where(u => false);
        else users = users.Where(u => u.Enabled == enabled);
        if (after is not null)
        {
            var last = after[0];
            users = users.Where(u => string.Compare(u.UsernameKey, last) > 0);
        }
        return (users.OrderBy(u => u.UsernameKey), u => [u.UsernameKey]);
    }

    // sub is the primary key.
    static (IQueryable<UserRow>, Func<UserRow, string?[]>) Sub(IQueryable<UserRow> users, string poolId, UserFilter filter, string?[]? after)
    {
        var value = filter.Value;
        if (filter.Prefix)
        {
            var end = value + Highest;
            // The primary key's range is the selective index here; the pool is compared as an expression ("|| ''")
            // so the planner cannot prefer the pool's index and sort the whole pool.
            users = users.Where(u => string.Compare(u.Sub, value) >= 0 && string.Compare(u.Sub, end) < 0 && u.UserPoolId + "" == poolId);
        }
        else users = users.Where(u => u.Sub == value);
        if (after is not null)
        {
            var last = after[0];
            users = users.Where(u => string.Compare(u.Sub, last) > 0);
        }
        return (users.OrderBy(u => u.Sub), u => [u.Sub]);
    }

    /// <summary>A predicate on the row and one of its columns, written once for every searchable column.</summary>
    static Expression<Func<UserRow, bool>> On(Expression<Func<UserRow, string?>> column, Expression<Func<UserRow, string?, bool>> test)
    {
        var row = column.Parameters[0];
        var body = new Substitute(test.Parameters[0], row, test.Parameters[1], column.Body).Visit(test.Body);
        return Expression.Lambda<Func<UserRow, bool>>(body, row);
    }

    sealed class Substitute(ParameterExpression row, Expression rowWith, ParameterExpression column, Expression columnWith) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == row ? rowWith : node == column ? columnWith : base.VisitParameter(node);
    }
}
