using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PreferredUsernameUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreferredUsernameKey",
                table: "Users",
                type: "TEXT",
                nullable: true);

            // The keys of existing users of pools with a preferred_username alias; where earlier races left one value on
            // several users, the oldest keeps it as sign-in identifier (as ScaleOutUniqueness does for email and phone).
            migrationBuilder.Sql("""
                UPDATE "Users" SET "PreferredUsernameKey" = "PreferredUsername"
                  WHERE coalesce("PreferredUsername", '') <> '' AND "Status" <> 'EXTERNAL_PROVIDER' AND EXISTS (SELECT 1 FROM "UserPools" p
                    WHERE p."Id" = "Users"."UserPoolId" AND EXISTS (SELECT 1 FROM json_each(p."Settings", '$.AliasAttributes') WHERE value = 'preferred_username'));
                """);
            migrationBuilder.Sql("""
                UPDATE "Users" SET "PreferredUsernameKey" = NULL WHERE "PreferredUsernameKey" IS NOT NULL AND EXISTS (SELECT 1 FROM "Users" o
                  WHERE o."UserPoolId" = "Users"."UserPoolId" AND o."PreferredUsernameKey" = "Users"."PreferredUsernameKey"
                    AND (o."CreatedAt" < "Users"."CreatedAt" OR (o."CreatedAt" = "Users"."CreatedAt" AND o."Sub" < "Users"."Sub")));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Users_UserPoolId_PreferredUsernameKey",
                table: "Users",
                columns: new[] { "UserPoolId", "PreferredUsernameKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_UserPoolId_PreferredUsernameKey",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "PreferredUsernameKey",
                table: "Users");
        }
    }
}
