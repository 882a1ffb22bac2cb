using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleOutUniqueness : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EmailKey",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "Users",
                type: "TEXT",
                nullable: true);

            // The keys of existing users, from their pool's UsernameAttributes and AliasAttributes (verified aliases only).
            migrationBuilder.Sql("""
                UPDATE "Users" SET "EmailKey" = lower("Email")
                  WHERE coalesce("Email", '') <> '' AND "Status" <> 'EXTERNAL_PROVIDER' AND EXISTS (SELECT 1 FROM "UserPools" p WHERE p."Id" = "Users"."UserPoolId"
                    AND (EXISTS (SELECT 1 FROM json_each(p."Settings", '$.UsernameAttributes') WHERE value = 'email')
                      OR ("Users"."EmailVerified" AND EXISTS (SELECT 1 FROM json_each(p."Settings", '$.AliasAttributes') WHERE value = 'email'))));
                """);
            migrationBuilder.Sql("""
                UPDATE "Users" SET "PhoneKey" = "PhoneNumber"
                  WHERE coalesce("PhoneNumber", '') <> '' AND "Status" <> 'EXTERNAL_PROVIDER' AND EXISTS (SELECT 1 FROM "UserPools" p WHERE p."Id" = "Users"."UserPoolId"
                    AND (EXISTS (SELECT 1 FROM json_each(p."Settings", '$.UsernameAttributes') WHERE value = 'phone_number')
                      OR ("Users"."PhoneNumberVerified" AND EXISTS (SELECT 1 FROM json_each(p."Settings", '$.AliasAttributes') WHERE value = 'phone_number'))));
                """);
            // Upgraded stores may hold duplicates from before these indexes (concurrent creations): the oldest holder
            // keeps the sign-in key, the later ones keep their attribute but no longer sign in by it (README, Deployment).
            migrationBuilder.Sql("""
                UPDATE "Users" SET "EmailKey" = NULL WHERE "EmailKey" IS NOT NULL AND EXISTS (SELECT 1 FROM "Users" o
                  WHERE o."UserPoolId" = "Users"."UserPoolId" AND o."EmailKey" = "Users"."EmailKey"
                    AND (o."CreatedAt" < "Users"."CreatedAt" OR (o."CreatedAt" = "Users"."CreatedAt" AND o."Sub" < "Users"."Sub")));
                """);
            migrationBuilder.Sql("""
                UPDATE "Users" SET "PhoneKey" = NULL WHERE "PhoneKey" IS NOT NULL AND EXISTS (SELECT 1 FROM "Users" o
                  WHERE o."UserPoolId" = "Users"."UserPoolId" AND o."PhoneKey" = "Users"."PhoneKey"
                    AND (o."CreatedAt" < "Users"."CreatedAt" OR (o."CreatedAt" = "Users"."CreatedAt" AND o."Sub" < "Users"."Sub")));
                """);
            // Several active signing keys of one pool (instances racing on a first sign-in): the newest signed, so the
            // others are retired as of its creation and stay published for the tokens they signed.
            migrationBuilder.Sql("""
                UPDATE "SigningKeys" SET "RetiredAt" = (SELECT max(n."CreatedAt") FROM "SigningKeys" n
                    WHERE n."UserPoolId" = "SigningKeys"."UserPoolId" AND n."RetiredAt" IS NULL)
                  WHERE "RetiredAt" IS NULL AND EXISTS (SELECT 1 FROM "SigningKeys" n
                    WHERE n."UserPoolId" = "SigningKeys"."UserPoolId" AND n."RetiredAt" IS NULL
                      AND (n."CreatedAt" > "SigningKeys"."CreatedAt" OR (n."CreatedAt" = "SigningKeys"."CreatedAt" AND n."Kid" > "SigningKeys"."Kid")));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Users_UserPoolId_EmailKey",
                table: "Users",
                columns: new[] { "UserPoolId", "EmailKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_UserPoolId_PhoneKey",
                table: "Users",
                columns: new[] { "UserPoolId", "PhoneKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_UserPoolId_Active",
                table: "SigningKeys",
                column: "UserPoolId",
                unique: true,
                filter: "\"RetiredAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_UserPoolId_EmailKey",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_UserPoolId_PhoneKey",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_SigningKeys_UserPoolId_Active",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "EmailKey",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "PhoneKey",
                table: "Users");
        }
    }
}
