using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UserImportJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UserImportJobs",
                columns: table => new
                {
                    JobId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    UserPoolId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    JobName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CloudWatchLogsRoleArn = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    UploadToken = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Csv = table.Column<string>(type: "text", nullable: true),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreationDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletionDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ImportedUsers = table.Column<long>(type: "bigint", nullable: false),
                    SkippedUsers = table.Column<long>(type: "bigint", nullable: false),
                    FailedUsers = table.Column<long>(type: "bigint", nullable: false),
                    CompletionMessage = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    NextRow = table.Column<int>(type: "integer", nullable: false),
                    TotalRows = table.Column<int>(type: "integer", nullable: true),
                    ClaimedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserImportJobs", x => x.JobId);
                    table.ForeignKey(
                        name: "FK_UserImportJobs_UserPools_UserPoolId",
                        column: x => x.UserPoolId,
                        principalTable: "UserPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UserImportLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    JobId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    LineNumber = table.Column<int>(type: "integer", nullable: true),
                    Username = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Level = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Message = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserImportLogs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UserImportLogs_UserImportJobs_JobId",
                        column: x => x.JobId,
                        principalTable: "UserImportJobs",
                        principalColumn: "JobId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UserImportJobs_Status",
                table: "UserImportJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_UserImportJobs_UploadToken",
                table: "UserImportJobs",
                column: "UploadToken",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UserImportJobs_UserPoolId_CreationDate",
                table: "UserImportJobs",
                columns: new[] { "UserPoolId", "CreationDate" });

            migrationBuilder.CreateIndex(
                name: "IX_UserImportLogs_JobId_Id",
                table: "UserImportLogs",
                columns: new[] { "JobId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UserImportLogs");

            migrationBuilder.DropTable(
                name: "UserImportJobs");
        }
    }
}
