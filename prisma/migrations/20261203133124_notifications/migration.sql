-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('alert_awaiting_approval', 'readiness_problems', 'endpoint_offline', 'endpoint_fault', 'order_deadline', 'order_escalated', 'ebd_link_down');

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_dedup_key_key" ON "notification"("dedup_key");

-- CreateIndex
CREATE INDEX "notification_region_code_created_at_idx" ON "notification"("region_code", "created_at");

-- CreateIndex
CREATE INDEX "notification_created_at_idx" ON "notification"("created_at");

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
