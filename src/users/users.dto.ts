import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { ROLES } from '../auth/domain/permissions';
import { RegionCode } from '../regions/region-code';

export const CreateUserBody = z
  .object({
    username: z.string().regex(/^[\w.-]{3,64}$/, 'must be 3–64 letters, digits, dots, dashes or underscores'),
    password: z.string().min(10, 'must be at least 10 characters').max(256),
    displayName: LineText.min(1).max(100).optional(),
    role: z.enum(ROLES),
    scopeCode: RegionCode.nullable().optional().describe('root of the region subtree the user acts on; only an admin may have none'),
  })
  .strict()
  .refine((body) => body.role === 'admin' || body.scopeCode, {
    message: 'is required for every role but admin',
    path: ['scopeCode'],
  });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UserView = named(
  'User',
  z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    scopeCode: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  }),
);
export type UserView = z.infer<typeof UserView>;

export const UserList = named('UserList', z.object({ items: z.array(UserView) }));

export function toUserView(user: { id: string; username: string; displayName: string | null; role: UserView['role']; scopeCode: string | null; createdAt: Date }): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    scopeCode: user.scopeCode,
    createdAt: user.createdAt.toISOString(),
  };
}
