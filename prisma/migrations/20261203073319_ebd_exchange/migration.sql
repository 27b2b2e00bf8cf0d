-- CreateEnum
CREATE TYPE "EbdSignatureLayout" AS ENUM ('sm2_sm3', 'cert_time');

-- CreateEnum
CREATE TYPE "EbdDirection" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "EbdPackageStatus" AS ENUM ('answered', 'pending', 'sent', 'failed');

-- AlterEnum
ALTER TYPE "MediaSource" ADD VALUE 'ebd';

-- AlterTable
ALTER TABLE "endpoint" ADD COLUMN     "ebrid" CHAR(23),
ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "longitude" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "region" ADD COLUMN     "terminal_codes" INTEGER NOT NULL DEFAULT 0;

-- A loudspeaker's resource code (应急广播资源编码, 23 digits): level (4 county,
-- 5 township, 6 village), the region's 12 digits, 0314 大喇叭, a type sequence
-- 01-99, subtype 04 终端, a subtype sequence 01-99. The n-th code of a region
-- (n from 1) counts through the subtype sequence first, so a region has 9,801.
CREATE FUNCTION ebd_terminal_ebrid(level "RegionLevel", region_code CHAR(12), n INTEGER) RETURNS CHAR(23)
LANGUAGE sql IMMUTABLE AS $$
  SELECT (CASE level WHEN 'county' THEN '4' WHEN 'township' THEN '5' ELSE '6' END)
    || region_code || '0314' || lpad(((n - 1) / 99 + 1)::text, 2, '0') || '04' || lpad(((n - 1) % 99 + 1)::text, 2, '0')
$$;

-- Every endpoint gets the next code of its region when inserted, whoever inserts it;
-- the counter's row lock makes two inserts in one region take two codes.
CREATE FUNCTION endpoint_assign_ebrid() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n INTEGER;
  region_level "RegionLevel";
BEGIN
  IF NEW.ebrid IS NULL THEN
    UPDATE region SET terminal_codes = terminal_codes + 1 WHERE code = NEW.region_code
      RETURNING terminal_codes, level INTO n, region_level;
    IF n > 9801 THEN
      RAISE EXCEPTION 'region % has given out all 9801 loudspeaker resource codes', NEW.region_code;
    END IF;
    IF n IS NOT NULL THEN
      NEW.ebrid := ebd_terminal_ebrid(region_level, NEW.region_code, n);
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER endpoint_ebrid BEFORE INSERT ON "endpoint" FOR EACH ROW EXECUTE FUNCTION endpoint_assign_ebrid();

-- Endpoints that exist already get theirs in the order they were created.
WITH numbered AS (
  SELECT e.id, r.level, e.region_code, row_number() OVER (PARTITION BY e.region_code ORDER BY e.created_at, e.id)::int AS n
  FROM "endpoint" e JOIN region r ON r.code = e.region_code
)
UPDATE "endpoint" e SET ebrid = ebd_terminal_ebrid(numbered.level, numbered.region_code, numbered.n)
FROM numbered WHERE numbered.id = e.id;
UPDATE region r SET terminal_codes = counted.n
FROM (SELECT region_code, count(*)::int AS n FROM "endpoint" GROUP BY region_code) counted
WHERE counted.region_code = r.code;

-- CreateTable
CREATE TABLE "ebd_link" (
    "county_code" CHAR(12) NOT NULL,
    "platform_type" CHAR(4) NOT NULL,
    "ebrid" CHAR(23) NOT NULL,
    "upper_ebrid" CHAR(23) NOT NULL,
    "upper_url" TEXT NOT NULL,
    "receive_url" TEXT NOT NULL,
    "upper_public_key" TEXT NOT NULL,
    "signer" TEXT NOT NULL,
    "cert_sn" TEXT NOT NULL,
    "signature_layout" "EbdSignatureLayout" NOT NULL DEFAULT 'sm2_sm3',
    "auto_air" BOOLEAN NOT NULL DEFAULT true,
    "report_local_alerts" BOOLEAN NOT NULL DEFAULT false,
    "heartbeat_seconds" INTEGER NOT NULL DEFAULT 30,
    "platform_info_seconds" INTEGER NOT NULL DEFAULT 86400,
    "platform_state_seconds" INTEGER NOT NULL DEFAULT 1800,
    "terminal_info_seconds" INTEGER NOT NULL DEFAULT 86400,
    "terminal_state_seconds" INTEGER NOT NULL DEFAULT 300,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "contact" TEXT,
    "phone" TEXT,
    "longitude" DOUBLE PRECISION,
    "latitude" DOUBLE PRECISION,
    "account_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "ebd_sequence" BIGINT NOT NULL DEFAULT 0,
    "ebm_date" CHAR(8),
    "ebm_sequence" INTEGER NOT NULL DEFAULT 0,
    "link_checked_at" TIMESTAMPTZ(3),
    "link_up_at" TIMESTAMPTZ(3),
    "link_error" TEXT,
    "reported_at" JSONB NOT NULL DEFAULT '{}',
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ebd_link_pkey" PRIMARY KEY ("county_code")
);

-- CreateTable
CREATE TABLE "ebd_message" (
    "id" UUID NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "ebm_id" TEXT NOT NULL,
    "direction" "EbdDirection" NOT NULL,
    "msg_type" INTEGER NOT NULL,
    "emergency_id" UUID,
    "ebd_id" TEXT,
    "reported_state" INTEGER,
    "reported" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ebd_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ebd_package" (
    "id" UUID NOT NULL,
    "county_code" CHAR(12),
    "direction" "EbdDirection" NOT NULL,
    "ebd_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "peer_ebrid" TEXT,
    "related_ebd_id" TEXT,
    "status" "EbdPackageStatus" NOT NULL,
    "result_code" INTEGER,
    "result_desc" TEXT,
    "tar" BYTEA,
    "bytes" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ebd_package_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ebd_link_ebrid_key" ON "ebd_link"("ebrid");

-- CreateIndex
CREATE INDEX "ebd_message_emergency_id_idx" ON "ebd_message"("emergency_id");

-- CreateIndex
CREATE INDEX "ebd_message_reported_reported_state_idx" ON "ebd_message"("reported", "reported_state");

-- CreateIndex
CREATE UNIQUE INDEX "ebd_message_county_code_ebm_id_key" ON "ebd_message"("county_code", "ebm_id");

-- CreateIndex
CREATE INDEX "ebd_package_status_next_attempt_at_idx" ON "ebd_package"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "ebd_package_county_code_created_at_idx" ON "ebd_package"("county_code", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "endpoint_ebrid_key" ON "endpoint"("ebrid");

-- AddForeignKey
ALTER TABLE "ebd_link" ADD CONSTRAINT "ebd_link_county_code_fkey" FOREIGN KEY ("county_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ebd_link" ADD CONSTRAINT "ebd_link_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ebd_message" ADD CONSTRAINT "ebd_message_emergency_id_fkey" FOREIGN KEY ("emergency_id") REFERENCES "emergency"("id") ON DELETE SET NULL ON UPDATE CASCADE;
