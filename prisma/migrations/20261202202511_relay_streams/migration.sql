-- AlterTable
ALTER TABLE "scheduled_broadcast" ADD COLUMN     "relay_duration_ms" INTEGER,
ADD COLUMN     "relay_mount" TEXT,
ADD COLUMN     "relay_title" TEXT,
ADD COLUMN     "relay_url" TEXT,
ALTER COLUMN "programme_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "relay_run" (
    "broadcast_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fell_back_at" TIMESTAMPTZ(3),
    "fallback_reason" TEXT,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,

    CONSTRAINT "relay_run_pkey" PRIMARY KEY ("broadcast_id","date")
);

-- CreateIndex
CREATE UNIQUE INDEX "scheduled_broadcast_relay_mount_key" ON "scheduled_broadcast"("relay_mount");

-- AddForeignKey
ALTER TABLE "relay_run" ADD CONSTRAINT "relay_run_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "scheduled_broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A broadcast airs exactly one thing: a programme, or a relay with all its
-- parts. A trigger rather than a CHECK constraint: Prisma's WebAssembly schema
-- engine cannot read CHECK constraints back through the pg driver adapter.
CREATE FUNCTION "scheduled_broadcast_refuse_two_things"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (
    (NEW."programme_id" IS NOT NULL AND NEW."relay_url" IS NULL AND NEW."relay_title" IS NULL
      AND NEW."relay_duration_ms" IS NULL AND NEW."relay_mount" IS NULL)
    OR (NEW."programme_id" IS NULL AND NEW."relay_url" IS NOT NULL AND NEW."relay_title" IS NOT NULL
      AND NEW."relay_duration_ms" > 0 AND NEW."relay_mount" IS NOT NULL)
  ) THEN
    RAISE EXCEPTION 'scheduled_broadcast % must air a programme or a relay (url, title, duration, mount), not both or neither', NEW."id"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "scheduled_broadcast_airs_one_thing"
  BEFORE INSERT OR UPDATE ON "scheduled_broadcast"
  FOR EACH ROW EXECUTE FUNCTION "scheduled_broadcast_refuse_two_things"();
