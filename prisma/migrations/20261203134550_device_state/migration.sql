-- CreateEnum
CREATE TYPE "EndpointState" AS ENUM ('idle', 'playing', 'fault');

-- AlterTable
ALTER TABLE "endpoint" ADD COLUMN     "address" TEXT,
ADD COLUMN     "clock_offset_ms" BIGINT,
ADD COLUMN     "fault_code" TEXT,
ADD COLUMN     "fault_text" TEXT,
ADD COLUMN     "muted" BOOLEAN,
ADD COLUMN     "offline_notice_for" TIMESTAMPTZ(3),
ADD COLUMN     "state" "EndpointState",
ADD COLUMN     "version" TEXT;

-- CreateTable
CREATE TABLE "endpoint_fault" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "notified_at" TIMESTAMPTZ(3),

    CONSTRAINT "endpoint_fault_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "endpoint_fault_endpoint_id_opened_at_idx" ON "endpoint_fault"("endpoint_id", "opened_at");

-- CreateIndex
CREATE INDEX "endpoint_fault_closed_at_idx" ON "endpoint_fault"("closed_at");

-- AddForeignKey
ALTER TABLE "endpoint_fault" ADD CONSTRAINT "endpoint_fault_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
