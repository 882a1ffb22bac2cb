using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SyncStreams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncStreamOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IdentityPoolId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    StreamName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PartitionKey = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    Bulk = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncStreamOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SyncStreamStatus",
                columns: table => new
                {
                    IdentityPoolId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    LastDeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    LastErrorAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    BulkPublishStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    BulkPublishStartTime = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    BulkPublishCompleteTime = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    BulkPublishFailure = table.Column<string>(type: "text", nullable: true)
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
