-- CreateEnum
CREATE TYPE "OrderSource" AS ENUM ('villager', 'operator');

-- AlterEnum
ALTER TYPE "LedgerKind" ADD VALUE 'goods_stocked';

-- AlterTable
ALTER TABLE "lecture_order" ADD COLUMN     "contact_phone" TEXT,
ADD COLUMN     "rate_token" TEXT,
ADD COLUMN     "source" "OrderSource" NOT NULL DEFAULT 'operator',
ALTER COLUMN "ordered_by_id" DROP NOT NULL;

-- AlterTable
-- Sessions registered before sign-in by QR code get a key of their own.
ALTER TABLE "lecture_session" ADD COLUMN     "checkin_key" TEXT;
UPDATE "lecture_session" SET "checkin_key" = md5(random()::text || "id"::text);
ALTER TABLE "lecture_session" ALTER COLUMN "checkin_key" SET NOT NULL;

-- AlterTable
ALTER TABLE "volunteer" ADD COLUMN     "card_hash" TEXT,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "registered_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "session_attendance" (
    "session_id" UUID NOT NULL,
    "volunteer_id" UUID NOT NULL,
    "signed_in_at" TIMESTAMPTZ(3) NOT NULL,
    "signed_out_at" TIMESTAMPTZ(3),

    CONSTRAINT "session_attendance_pkey" PRIMARY KEY ("session_id","volunteer_id")
);

-- CreateTable
CREATE TABLE "village_poster" (
    "region_code" CHAR(12) NOT NULL,
    "code" TEXT NOT NULL,
    "opened_by_id" UUID NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "village_poster_pkey" PRIMARY KEY ("region_code")
);

-- CreateTable
CREATE TABLE "redemption_item" (
    "id" UUID NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "township_code" CHAR(12),
    "name" TEXT NOT NULL,
    "description" TEXT,
    "points_price" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "redemption_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "session_attendance_volunteer_id_idx" ON "session_attendance"("volunteer_id");

-- CreateIndex
CREATE UNIQUE INDEX "village_poster_code_key" ON "village_poster"("code");

-- CreateIndex
CREATE INDEX "redemption_item_county_code_idx" ON "redemption_item"("county_code");

-- CreateIndex
CREATE UNIQUE INDEX "redemption_item_region_code_name_key" ON "redemption_item"("region_code", "name");

-- CreateIndex
CREATE UNIQUE INDEX "lecture_order_rate_token_key" ON "lecture_order"("rate_token");

-- CreateIndex
CREATE UNIQUE INDEX "volunteer_card_hash_key" ON "volunteer"("card_hash");

-- AddForeignKey
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "lecture_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_volunteer_id_fkey" FOREIGN KEY ("volunteer_id") REFERENCES "volunteer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "village_poster" ADD CONSTRAINT "village_poster_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "village_poster" ADD CONSTRAINT "village_poster_opened_by_id_fkey" FOREIGN KEY ("opened_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "redemption_item" ADD CONSTRAINT "redemption_item_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "redemption_item" ADD CONSTRAINT "redemption_item_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Stock never goes below zero, whatever path writes it (a trigger, as for
-- points_balance: the schema engine cannot read CHECK constraints back).
CREATE FUNCTION "redemption_item_refuse_negative"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."stock" < 0 OR NEW."points_price" < 1 THEN
    RAISE EXCEPTION 'redemption_item % would have stock % and price %', NEW."id", NEW."stock", NEW."points_price"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "redemption_item_stock_not_negative"
  BEFORE INSERT OR UPDATE ON "redemption_item"
  FOR EACH ROW EXECUTE FUNCTION "redemption_item_refuse_negative"();
