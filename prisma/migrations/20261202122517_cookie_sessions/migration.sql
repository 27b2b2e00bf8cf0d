-- CreateEnum
CREATE TYPE "AuthSessionKind" AS ENUM ('token', 'cookie');

-- AlterTable
ALTER TABLE "auth_session" ADD COLUMN     "kind" "AuthSessionKind" NOT NULL DEFAULT 'token',
ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3);
