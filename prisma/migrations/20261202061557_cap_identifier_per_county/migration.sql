-- DropIndex
DROP INDEX "emergency_cap_sender_cap_identifier_key";

-- CreateIndex
CREATE UNIQUE INDEX "emergency_county_code_cap_sender_cap_identifier_key" ON "emergency"("county_code", "cap_sender", "cap_identifier");
