using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SyncStreamsBatchesAndLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BulkPublishCursorDataset",
                table: "SyncStreamStatus",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BulkPublishCursorIdentityId",
                table: "SyncStreamStatus",
                type: "TEXT",
                maxLength: 55,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BulkPublishEnqueued",
                table: "SyncStreamStatus",
                type: "INTEGER",
                nullable: false,
                defaultValue: true); // a bulk publish running at the upgrade already put all its datasets in the outbox

            migrationBuilder.CreateTable(
                name: "SyncStreamLinks",
                columns: table => new
                {
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentityPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    Records = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncStreamLinks", x => x.Token);
                    table.ForeignKey(
                        name: "FK_SyncStreamLinks_IdentityPools_IdentityPoolId",
                        column: x => x.IdentityPoolId,
                        principalTable: "IdentityPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncStreamLinks_ExpiresAt",
                table: "SyncStreamLinks",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_SyncStreamLinks_IdentityPoolId",
                table: "SyncStreamLinks",
                column: "IdentityPoolId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncStreamLinks");

            migrationBuilder.DropColumn(
                name: "BulkPublishCursorDataset",
                table: "SyncStreamStatus");

            migrationBuilder.DropColumn(
                name: "BulkPublishCursorIdentityId",
                table: "SyncStreamStatus");

            migrationBuilder.DropColumn(
                name: "BulkPublishEnqueued",
                table: "SyncStreamStatus");
        }
    }
}
