-- CreateEnum
CREATE TYPE "ProgrammeCategory" AS ENUM ('core_values', 'village_rules', 'customs', 'policy', 'lecture', 'other');

-- CreateEnum
CREATE TYPE "ReceiptOutcome" AS ENUM ('played', 'failed', 'interrupted');

-- AlterTable
ALTER TABLE "endpoint" ADD COLUMN     "held_media" TEXT[];

-- CreateTable
CREATE TABLE "programme" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "category" "ProgrammeCategory" NOT NULL,
    "region_code" CHAR(12),
    "duration_ms" INTEGER NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme_segment" (
    "programme_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "media_id" UUID NOT NULL,

    CONSTRAINT "programme_segment_pkey" PRIMARY KEY ("programme_id","position")
);

-- CreateTable
CREATE TABLE "slot" (
    "county_code" CHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "start_minute" INTEGER NOT NULL,
    "window_minutes" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slot_pkey" PRIMARY KEY ("county_code","name")
);

-- CreateTable
CREATE TABLE "scheduled_broadcast" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "scope_code" CHAR(12) NOT NULL,
    "slot_name" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "rrule" TEXT,
    "until_date" DATE,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "scheduled_broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broadcast_target" (
    "broadcast_id" UUID NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "broadcast_target_pkey" PRIMARY KEY ("broadcast_id","region_code")
);

-- CreateTable
CREATE TABLE "compiled_playlist" (
    "region_code" CHAR(12) NOT NULL,
    "date" DATE NOT NULL,
    "version" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "compiled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "compiled_playlist_pkey" PRIMARY KEY ("region_code","date")
);

-- CreateTable
CREATE TABLE "playlist_fetch" (
    "endpoint_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "version" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "playlist_fetch_pkey" PRIMARY KEY ("endpoint_id","date")
);

-- CreateTable
CREATE TABLE "play_receipt" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "item_id" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" "ReceiptOutcome" NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "play_receipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "programme_region_code_created_at_idx" ON "programme"("region_code", "created_at");

-- CreateIndex
CREATE INDEX "programme_segment_media_id_idx" ON "programme_segment"("media_id");

-- CreateIndex
CREATE INDEX "scheduled_broadcast_county_code_slot_name_idx" ON "scheduled_broadcast"("county_code", "slot_name");

-- CreateIndex
CREATE INDEX "broadcast_target_region_code_idx" ON "broadcast_target"("region_code");

-- CreateIndex
CREATE INDEX "compiled_playlist_date_idx" ON "compiled_playlist"("date");

-- CreateIndex
CREATE INDEX "play_receipt_date_item_id_idx" ON "play_receipt"("date", "item_id");

-- CreateIndex
CREATE INDEX "play_receipt_endpoint_id_date_idx" ON "play_receipt"("endpoint_id", "date");

-- AddForeignKey
ALTER TABLE "programme" ADD CONSTRAINT "programme_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme" ADD CONSTRAINT "programme_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_segment" ADD CONSTRAINT "programme_segment_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_segment" ADD CONSTRAINT "programme_segment_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduled_broadcast" ADD CONSTRAINT "scheduled_broadcast_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduled_broadcast" ADD CONSTRAINT "scheduled_broadcast_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcast_target" ADD CONSTRAINT "broadcast_target_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "scheduled_broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playlist_fetch" ADD CONSTRAINT "playlist_fetch_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "play_receipt" ADD CONSTRAINT "play_receipt_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
