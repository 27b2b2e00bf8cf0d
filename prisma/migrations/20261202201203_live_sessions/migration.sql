-- CreateEnum
CREATE TYPE "LiveStatus" AS ENUM ('starting', 'live', 'ended');

-- CreateEnum
CREATE TYPE "LivePriority" AS ENUM ('normal', 'urgent');

-- AlterEnum
ALTER TYPE "MediaSource" ADD VALUE 'live';

-- CreateTable
CREATE TABLE "live_session" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "scope_code" CHAR(12) NOT NULL,
    "region_codes" CHAR(12)[],
    "priority" "LivePriority" NOT NULL,
    "status" "LiveStatus" NOT NULL DEFAULT 'starting',
    "mount" TEXT NOT NULL,
    "ingest_token_hash" CHAR(64) NOT NULL,
    "started_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "live_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "ended_by_id" UUID,
    "end_reason" TEXT,
    "recording_media_id" UUID,
    "lecture_session_id" UUID,

    CONSTRAINT "live_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "live_session_mount_key" ON "live_session"("mount");

-- CreateIndex
CREATE UNIQUE INDEX "live_session_recording_media_id_key" ON "live_session"("recording_media_id");

-- CreateIndex
CREATE UNIQUE INDEX "live_session_lecture_session_id_key" ON "live_session"("lecture_session_id");

-- CreateIndex
CREATE INDEX "live_session_status_idx" ON "live_session"("status");

-- CreateIndex
CREATE INDEX "live_session_county_code_created_at_idx" ON "live_session"("county_code", "created_at");

-- AddForeignKey
ALTER TABLE "live_session" ADD CONSTRAINT "live_session_scope_code_fkey" FOREIGN KEY ("scope_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_session" ADD CONSTRAINT "live_session_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_session" ADD CONSTRAINT "live_session_ended_by_id_fkey" FOREIGN KEY ("ended_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
