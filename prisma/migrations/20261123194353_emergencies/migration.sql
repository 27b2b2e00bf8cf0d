-- CreateEnum
CREATE TYPE "EmergencyStatus" AS ENUM ('draft', 'approved', 'active', 'ended', 'cancelled', 'superseded');

-- CreateEnum
CREATE TYPE "DispatchAction" AS ENUM ('activate', 'end');

-- AlterEnum
ALTER TYPE "ReceiptOutcome" ADD VALUE 'acknowledged';

-- CreateTable
CREATE TABLE "emergency" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "status" "EmergencyStatus" NOT NULL DEFAULT 'draft',
    "drill" BOOLEAN NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "scope_code" CHAR(12) NOT NULL,
    "region_codes" TEXT[],
    "media_id" UUID NOT NULL,
    "text" TEXT,
    "repeat" INTEGER NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "drafted_by_id" UUID NOT NULL,
    "approved_by_id" UUID,
    "approved_at" TIMESTAMPTZ(3),
    "activated_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "supersedes_id" UUID,
    "cap_sender" TEXT,
    "cap_identifier" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "emergency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "emergency_dispatch" (
    "id" UUID NOT NULL,
    "emergency_id" UUID NOT NULL,
    "action" "DispatchAction" NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "done_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "emergency_dispatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "emergency_push" (
    "emergency_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "pushed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "emergency_push_pkey" PRIMARY KEY ("emergency_id","endpoint_id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" UUID NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "emergency_status_idx" ON "emergency"("status");

-- CreateIndex
CREATE UNIQUE INDEX "emergency_cap_sender_cap_identifier_key" ON "emergency"("cap_sender", "cap_identifier");

-- CreateIndex
CREATE INDEX "emergency_dispatch_done_at_due_at_idx" ON "emergency_dispatch"("done_at", "due_at");

-- CreateIndex
CREATE INDEX "audit_entry_entity_entity_id_at_idx" ON "audit_entry"("entity", "entity_id", "at");

-- AddForeignKey
ALTER TABLE "emergency" ADD CONSTRAINT "emergency_scope_code_fkey" FOREIGN KEY ("scope_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency" ADD CONSTRAINT "emergency_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency" ADD CONSTRAINT "emergency_drafted_by_id_fkey" FOREIGN KEY ("drafted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency" ADD CONSTRAINT "emergency_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_dispatch" ADD CONSTRAINT "emergency_dispatch_emergency_id_fkey" FOREIGN KEY ("emergency_id") REFERENCES "emergency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_push" ADD CONSTRAINT "emergency_push_emergency_id_fkey" FOREIGN KEY ("emergency_id") REFERENCES "emergency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_push" ADD CONSTRAINT "emergency_push_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
