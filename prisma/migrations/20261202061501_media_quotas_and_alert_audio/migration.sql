-- AlterTable
ALTER TABLE "media" ADD COLUMN     "for_alert" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "source_bytes" INTEGER;

-- CreateIndex
CREATE INDEX "media_created_by_id_created_at_idx" ON "media"("created_by_id", "created_at");
