import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { ROLES } from '../auth/domain/permissions';
import { RegionCode } from '../kernel/region-code';
import { NewPassword } from '../kernel/password-policy';

const Scope = RegionCode.nullable().describe(
  'root of the region subtree the user acts on; only an admin may have none',
);
const DisplayName = LineText.min(1).max(100);

export const CreateUserBody = z
  .object({
    username: z.string().regex(/^[\w.-]{3,64}$/, 'must be 3–64 letters, digits, dots, dashes or underscores'),
    password: NewPassword,
    displayName: DisplayName.optional(),
    role: z.enum(ROLES),
    scopeCode: Scope.optional(),
  })
  .strict()
  .refine((body) => body.role === 'admin' || body.scopeCode, {
    message: 'is required for every role but admin',
    path: ['scopeCode'],
  });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    role: z.enum(ROLES).optional(),
    scopeCode: Scope.optional(),
    displayName: DisplayName.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'names nothing to change');
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ResetPasswordBody = z.object({ password: NewPassword }).strict();

export const UserView = named(
  'User',
  z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    scopeCode: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    disabledAt: z.iso.datetime({ offset: true }).nullable().describe('set while the account may not sign in'),
  }),
);
export type UserView = z.infer<typeof UserView>;

export const UserList = named('UserList', z.object({ items: z.array(UserView) }));

export function toUserView(user: {
  id: string;
  username: string;
  displayName: string | null;
  role: UserView['role'];
  scopeCode: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    scopeCode: user.scopeCode,
    createdAt: user.createdAt.toISOString(),
    disabledAt: user.disabledAt?.toISOString() ?? null,
  };
}
