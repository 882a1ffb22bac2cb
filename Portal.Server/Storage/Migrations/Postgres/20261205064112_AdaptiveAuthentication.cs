using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AdaptiveAuthentication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeviceKey",
                table: "AuthEvents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FeedbackTokenExpiresAt",
                table: "AuthEvents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FeedbackTokenHash",
                table: "AuthEvents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Network",
                table: "AuthEvents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents",
                columns: new[] { "UserPoolId", "IpAddress", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "DeviceKey",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "FeedbackTokenExpiresAt",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "FeedbackTokenHash",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "Network",
                table: "AuthEvents");
        }
    }
}
