using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LogDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LogDestinations",
                columns: table => new
                {
                    UserPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    EventSource = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Delivered = table.Column<long>(type: "INTEGER", nullable: false),
                    Dropped = table.Column<long>(type: "INTEGER", nullable: false),
                    LastDeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogDestinations", x => new { x.UserPoolId, x.EventSource });
                    table.ForeignKey(
                        name: "FK_LogDestinations_UserPools_UserPoolId",
                        column: x => x.UserPoolId,
                        principalTable: "UserPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LogOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    EventSource = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Record = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimToken = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogOutbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LogOutbox_UserPools_UserPoolId",
                        column: x => x.UserPoolId,
                        principalTable: "UserPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LogOutbox_NextAttemptAt",
                table: "LogOutbox",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_LogOutbox_UserPoolId_EventSource",
                table: "LogOutbox",
                columns: new[] { "UserPoolId", "EventSource" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LogDestinations");

            migrationBuilder.DropTable(
                name: "LogOutbox");
        }
    }
}
