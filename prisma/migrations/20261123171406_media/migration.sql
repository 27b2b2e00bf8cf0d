-- CreateEnum
CREATE TYPE "MediaStatus" AS ENUM ('processing', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "MediaSource" AS ENUM ('upload', 'tts');

-- CreateTable
CREATE TABLE "media" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" "MediaStatus" NOT NULL DEFAULT 'processing',
    "source" "MediaSource" NOT NULL,
    "region_code" CHAR(12),
    "created_by_id" UUID NOT NULL,
    "tts_text" TEXT,
    "tts_voice" TEXT,
    "source_sha256" CHAR(64),
    "rendition_key" TEXT,
    "sha256" CHAR(64),
    "bytes" INTEGER,
    "duration_ms" INTEGER,
    "input_lufs" DOUBLE PRECISION,
    "output_lufs" DOUBLE PRECISION,
    "true_peak_db" DOUBLE PRECISION,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "ready_at" TIMESTAMPTZ(3),

    CONSTRAINT "media_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "media_status_created_at_idx" ON "media"("status", "created_at");

-- CreateIndex
CREATE INDEX "media_source_sha256_rendition_key_idx" ON "media"("source_sha256", "rendition_key");

-- CreateIndex
CREATE INDEX "media_region_code_created_at_idx" ON "media"("region_code", "created_at");

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
