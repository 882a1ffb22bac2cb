using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MergeSnapshot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncStreamOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IdentityPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    StreamName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PartitionKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    Bulk = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncStreamOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SyncStreamStatus",
                columns: table => new
                {
                    IdentityPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    LastDeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true),
                    BulkPublishStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BulkPublishStartTime = table.Column<long>(type: "INTEGER", nullable: true),
                    BulkPublishCompleteTime = table.Column<long>(type: "INTEGER", nullable: true),
                    BulkPublishFailure = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncStreamStatus", x => x.IdentityPoolId);
                    table.ForeignKey(
                        name: "FK_SyncStreamStatus_IdentityPools_IdentityPoolId",
                        column: x => x.IdentityPoolId,
                        principalTable: "IdentityPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncStreamOutbox_IdentityPoolId_Bulk",
                table: "SyncStreamOutbox",
                columns: new[] { "IdentityPoolId", "Bulk" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncStreamOutbox_NextAttemptAt",
                table: "SyncStreamOutbox",
                column: "NextAttemptAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncStreamOutbox");

            migrationBuilder.DropTable(
                name: "SyncStreamStatus");
        }
    }
}
