using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Gateway : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "GatewayDecisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RouteId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Caller = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    AccessKeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Action = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Resource = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Decision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ErrorCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Policy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Statement = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    SourceIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GatewayDecisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GatewayRoutes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PathPrefix = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Backend = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Settings = table.Column<string>(type: "text", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GatewayRoutes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GatewayDecisions_RouteId_Time",
                table: "GatewayDecisions",
                columns: new[] { "RouteId", "Time" });

            migrationBuilder.CreateIndex(
                name: "IX_GatewayDecisions_Time",
                table: "GatewayDecisions",
                column: "Time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GatewayDecisions");

            migrationBuilder.DropTable(
                name: "GatewayRoutes");
        }
    }
}
