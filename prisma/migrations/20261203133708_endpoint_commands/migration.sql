-- CreateEnum
CREATE TYPE "CommandDeliveryStatus" AS ENUM ('pending', 'sent', 'acknowledged', 'done', 'failed', 'expired');

-- CreateTable
CREATE TABLE "endpoint_command" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "volume" INTEGER,
    "region_code" CHAR(12) NOT NULL,
    "endpoint_id" UUID,
    "issued_by_id" UUID NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "endpoint_command_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoint_command_delivery" (
    "command_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "status" "CommandDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sent_at" TIMESTAMPTZ(3),
    "acknowledged_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "result" TEXT,

    CONSTRAINT "endpoint_command_delivery_pkey" PRIMARY KEY ("command_id","endpoint_id")
);

-- CreateIndex
CREATE INDEX "endpoint_command_region_code_issued_at_idx" ON "endpoint_command"("region_code", "issued_at");

-- CreateIndex
CREATE INDEX "endpoint_command_expires_at_idx" ON "endpoint_command"("expires_at");

-- CreateIndex
CREATE INDEX "endpoint_command_delivery_endpoint_id_status_idx" ON "endpoint_command_delivery"("endpoint_id", "status");

-- CreateIndex
CREATE INDEX "endpoint_command_delivery_command_id_status_idx" ON "endpoint_command_delivery"("command_id", "status");

-- AddForeignKey
ALTER TABLE "endpoint_command" ADD CONSTRAINT "endpoint_command_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_command" ADD CONSTRAINT "endpoint_command_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_command" ADD CONSTRAINT "endpoint_command_issued_by_id_fkey" FOREIGN KEY ("issued_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_command_delivery" ADD CONSTRAINT "endpoint_command_delivery_command_id_fkey" FOREIGN KEY ("command_id") REFERENCES "endpoint_command"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_command_delivery" ADD CONSTRAINT "endpoint_command_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

