import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { ROLES } from './domain/permissions';

export const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResult = named(
  'LoginResult',
  z.object({
    accessToken: z.string().describe('send as Authorization: Bearer <accessToken>'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('seconds until the token expires'),
  }),
);
export type LoginResult = z.infer<typeof LoginResult>;

export const Me = named(
  'Me',
  z.object({ id: z.uuid(), username: z.string(), role: z.enum(ROLES), scopeCode: z.string().nullable() }),
);
