-- CreateEnum
CREATE TYPE "SessionMode" AS ENUM ('onsite', 'on_air', 'online');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('planned', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "PointsHolder" AS ENUM ('volunteer', 'lecturer');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('ordered', 'dispatched', 'accepted', 'delivered', 'rated', 'escalated', 'cancelled');

-- CreateEnum
CREATE TYPE "OrderRating" AS ENUM ('excellent', 'satisfied', 'unsatisfied');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('lecture_session', 'broadcast_aired', 'volunteer_hours', 'points_awarded', 'points_redeemed', 'rating', 'correction');

-- CreateTable
CREATE TABLE "lecture_team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lecture_team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lecture_team_member" (
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "title" TEXT,

    CONSTRAINT "lecture_team_member_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "topic" (
    "id" UUID NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "category" "ProgrammeCategory" NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monthly_theme" (
    "county_code" CHAR(12) NOT NULL,
    "month" CHAR(7) NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "topic_id" UUID,
    "set_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "monthly_theme_pkey" PRIMARY KEY ("county_code","month")
);

-- CreateTable
CREATE TABLE "lecture_session" (
    "id" UUID NOT NULL,
    "topic_id" UUID NOT NULL,
    "mode" "SessionMode" NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'planned',
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "team_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "planned_minutes" INTEGER NOT NULL,
    "notes" TEXT,
    "recording_media_id" UUID,
    "broadcast_id" UUID,
    "air_date" DATE,
    "order_id" UUID,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "ledger_seq" BIGINT,

    CONSTRAINT "lecture_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lecture_session_lecturer" (
    "session_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "lecture_session_lecturer_pkey" PRIMARY KEY ("session_id","user_id")
);

-- CreateTable
CREATE TABLE "volunteer" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "volunteer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "points_balance" (
    "holder_type" "PointsHolder" NOT NULL,
    "holder_id" UUID NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "township_code" CHAR(12),
    "points" INTEGER NOT NULL,
    "earned" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "points_balance_pkey" PRIMARY KEY ("holder_type","holder_id")
);

-- CreateTable
CREATE TABLE "points_rate" (
    "county_code" CHAR(12) NOT NULL,
    "points_per_hour" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "points_rate_pkey" PRIMARY KEY ("county_code")
);

-- CreateTable
CREATE TABLE "lecture_order" (
    "id" UUID NOT NULL,
    "topic_id" UUID NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'ordered',
    "notes" TEXT,
    "ordered_by_id" UUID NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "team_id" UUID,
    "dispatched_by_id" UUID,
    "dispatched_at" TIMESTAMPTZ(3),
    "accept_by" TIMESTAMPTZ(3),
    "deliver_by" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "accepted_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "rating" "OrderRating",
    "rating_comment" TEXT,
    "rated_by_id" UUID,
    "rated_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "escalation_reason" TEXT,
    "escalations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "lecture_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "seq" BIGINT NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "actor_id" UUID,
    "region_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "township_code" CHAR(12),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "subject" TEXT,
    "corrects" BIGINT,
    "payload" JSONB NOT NULL,
    "dedupe_key" TEXT,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "lecture_team_county_code_idx" ON "lecture_team"("county_code");

-- CreateIndex
CREATE UNIQUE INDEX "lecture_team_region_code_name_key" ON "lecture_team"("region_code", "name");

-- CreateIndex
CREATE INDEX "lecture_team_member_user_id_idx" ON "lecture_team_member"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "topic_county_code_title_key" ON "topic"("county_code", "title");

-- CreateIndex
CREATE UNIQUE INDEX "lecture_session_broadcast_id_key" ON "lecture_session"("broadcast_id");

-- CreateIndex
CREATE UNIQUE INDEX "lecture_session_order_id_key" ON "lecture_session"("order_id");

-- CreateIndex
CREATE INDEX "lecture_session_county_code_starts_at_idx" ON "lecture_session"("county_code", "starts_at");

-- CreateIndex
CREATE INDEX "lecture_session_region_code_starts_at_idx" ON "lecture_session"("region_code", "starts_at");

-- CreateIndex
CREATE INDEX "lecture_session_mode_status_air_date_idx" ON "lecture_session"("mode", "status", "air_date");

-- CreateIndex
CREATE INDEX "lecture_session_lecturer_user_id_idx" ON "lecture_session_lecturer"("user_id");

-- CreateIndex
CREATE INDEX "volunteer_county_code_idx" ON "volunteer"("county_code");

-- CreateIndex
CREATE UNIQUE INDEX "volunteer_region_code_name_key" ON "volunteer"("region_code", "name");

-- CreateIndex
CREATE INDEX "points_balance_county_code_idx" ON "points_balance"("county_code");

-- CreateIndex
CREATE INDEX "points_balance_township_code_idx" ON "points_balance"("township_code");

-- CreateIndex
CREATE INDEX "points_balance_region_code_idx" ON "points_balance"("region_code");

-- CreateIndex
CREATE INDEX "lecture_order_county_code_ordered_at_idx" ON "lecture_order"("county_code", "ordered_at");

-- CreateIndex
CREATE INDEX "lecture_order_region_code_ordered_at_idx" ON "lecture_order"("region_code", "ordered_at");

-- CreateIndex
CREATE INDEX "lecture_order_status_accept_by_idx" ON "lecture_order"("status", "accept_by");

-- CreateIndex
CREATE INDEX "lecture_order_status_deliver_by_idx" ON "lecture_order"("status", "deliver_by");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_prev_hash_key" ON "ledger_entry"("prev_hash");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_hash_key" ON "ledger_entry"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_dedupe_key_key" ON "ledger_entry"("dedupe_key");

-- CreateIndex
CREATE INDEX "ledger_entry_county_code_seq_idx" ON "ledger_entry"("county_code", "seq");

-- CreateIndex
CREATE INDEX "ledger_entry_township_code_seq_idx" ON "ledger_entry"("township_code", "seq");

-- CreateIndex
CREATE INDEX "ledger_entry_region_code_seq_idx" ON "ledger_entry"("region_code", "seq");

-- CreateIndex
CREATE INDEX "ledger_entry_county_code_occurred_at_idx" ON "ledger_entry"("county_code", "occurred_at");

-- CreateIndex
CREATE INDEX "ledger_entry_township_code_occurred_at_idx" ON "ledger_entry"("township_code", "occurred_at");

-- CreateIndex
CREATE INDEX "ledger_entry_region_code_occurred_at_idx" ON "ledger_entry"("region_code", "occurred_at");

-- CreateIndex
CREATE INDEX "ledger_entry_subject_idx" ON "ledger_entry"("subject");

-- CreateIndex
CREATE INDEX "ledger_entry_corrects_idx" ON "ledger_entry"("corrects");

-- AddForeignKey
ALTER TABLE "lecture_team" ADD CONSTRAINT "lecture_team_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_team" ADD CONSTRAINT "lecture_team_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_team_member" ADD CONSTRAINT "lecture_team_member_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "lecture_team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_team_member" ADD CONSTRAINT "lecture_team_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "topic" ADD CONSTRAINT "topic_county_code_fkey" FOREIGN KEY ("county_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "topic" ADD CONSTRAINT "topic_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_theme" ADD CONSTRAINT "monthly_theme_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topic"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_theme" ADD CONSTRAINT "monthly_theme_set_by_id_fkey" FOREIGN KEY ("set_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session" ADD CONSTRAINT "lecture_session_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topic"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session" ADD CONSTRAINT "lecture_session_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session" ADD CONSTRAINT "lecture_session_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "lecture_team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session" ADD CONSTRAINT "lecture_session_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session" ADD CONSTRAINT "lecture_session_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "lecture_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session_lecturer" ADD CONSTRAINT "lecture_session_lecturer_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "lecture_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_session_lecturer" ADD CONSTRAINT "lecture_session_lecturer_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "volunteer" ADD CONSTRAINT "volunteer_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_order" ADD CONSTRAINT "lecture_order_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topic"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_order" ADD CONSTRAINT "lecture_order_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_order" ADD CONSTRAINT "lecture_order_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "lecture_team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lecture_order" ADD CONSTRAINT "lecture_order_ordered_by_id_fkey" FOREIGN KEY ("ordered_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The ledger is append-only: no role the application connects as may change
-- or remove an entry. A superuser can still disable the trigger, and then the
-- hash chain is what shows the edit (GET /api/v1/ledger/verify).
CREATE FUNCTION "ledger_entry_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entry is append-only: % refused (a correction is a new entry)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "ledger_entry_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION "ledger_entry_refuse_change"();

CREATE TRIGGER "ledger_entry_no_truncate"
  BEFORE TRUNCATE ON "ledger_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_entry_refuse_change"();

-- A balance never goes below zero, whatever path writes it. A trigger rather
-- than a CHECK constraint: Prisma's WebAssembly schema engine cannot read
-- CHECK constraints back through the pg driver adapter.
CREATE FUNCTION "points_balance_refuse_negative"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."points" < 0 THEN
    RAISE EXCEPTION 'points_balance of % % would be %, below zero', NEW."holder_type", NEW."holder_id", NEW."points"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "points_balance_not_negative"
  BEFORE INSERT OR UPDATE ON "points_balance"
  FOR EACH ROW EXECUTE FUNCTION "points_balance_refuse_negative"();
