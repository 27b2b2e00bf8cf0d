-- AlterTable
ALTER TABLE "lecture_order" ADD COLUMN     "ordered_for" TEXT,
ADD COLUMN     "rated_for" TEXT;
