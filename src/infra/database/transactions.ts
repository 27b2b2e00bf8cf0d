import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { PrismaService } from './prisma.service';

/**
 * Runs a service's unit of work in one interactive transaction: everything it
 * writes commits together or not at all. Generous limits, because a
 * completion credits points and appends to the ledger under its chain lock,
 * which waits its turn behind other appends.
 */
@Injectable()
export class Transactions {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, { timeout: 30_000, maxWait: 30_000 });
  }
}
