using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuthEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuthEvents",
                columns: table => new
                {
                    EventId = table.Column<string>(type: "text", nullable: false),
                    UserPoolId = table.Column<string>(type: "text", nullable: false),
                    UserSub = table.Column<string>(type: "character varying(36)", nullable: false),
                    EventType = table.Column<string>(type: "text", nullable: false),
                    EventResponse = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Challenges = table.Column<string>(type: "text", nullable: true),
                    IpAddress = table.Column<string>(type: "text", nullable: true),
                    DeviceName = table.Column<string>(type: "text", nullable: true),
                    ClientId = table.Column<string>(type: "text", nullable: true),
                    FeedbackValue = table.Column<string>(type: "text", nullable: true),
                    FeedbackProvider = table.Column<string>(type: "text", nullable: true),
                    FeedbackAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuthEvents", x => x.EventId);
                    table.ForeignKey(
                        name: "FK_AuthEvents_Users_UserSub",
                        column: x => x.UserSub,
                        principalTable: "Users",
                        principalColumn: "Sub",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_CreatedAt",
                table: "AuthEvents",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserSub_CreatedAt",
                table: "AuthEvents",
                columns: new[] { "UserSub", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuthEvents");
        }
    }
}
