-- AlterTable
ALTER TABLE "emergency_dispatch" ADD COLUMN     "pushed_at" TIMESTAMPTZ(3);
