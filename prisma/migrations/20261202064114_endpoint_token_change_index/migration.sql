-- CreateIndex
CREATE INDEX "endpoint_revoked_at_idx" ON "endpoint"("revoked_at");

-- CreateIndex
CREATE INDEX "endpoint_enrolled_at_idx" ON "endpoint"("enrolled_at");
