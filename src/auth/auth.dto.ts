import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { NewPassword } from '../kernel/password-policy';
import type { UserPrincipal } from './access.decorator';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from './domain/permissions';

export const LoginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResult = named(
  'LoginResult',
  z.object({
    accessToken: z.string().describe('send as Authorization: Bearer <accessToken>'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('seconds until the token expires'),
    refreshToken: z
      .string()
      .describe('send to POST /api/v1/auth/refresh for a new pair before the access token expires; used once'),
    refreshExpiresIn: z.number().int().describe('seconds until this sign-in ends, however often it is refreshed'),
  }),
);
export type LoginResult = z.infer<typeof LoginResult>;

// A refresh token rides in the body today; a browser console will carry it in an HttpOnly cookie instead.
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200) }).strict();

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: NewPassword })
  .strict();

export const Me = named(
  'Me',
  z.object({
    id: z.uuid(),
    username: z.string(),
    role: z.enum(ROLES),
    scopeCode: z.string().nullable(),
    permissions: z
      .array(z.enum(PERMISSIONS))
      .describe("what the role may do: the console offers only these actions (the server checks each request's own)"),
  }),
);

/** The signed-in user as the API shows them to themselves. */
export const meOf = (user: UserPrincipal): z.infer<typeof Me> => ({
  id: user.id,
  username: user.username,
  role: user.role,
  scopeCode: user.scopeCode,
  permissions: [...ROLE_PERMISSIONS[user.role]],
});

export const WebSessionBody = named(
  'WebSession',
  z.object({
    user: Me,
    csrfToken: z
      .string()
      .describe('send as the x-csrf-token header on every request but GET, HEAD and OPTIONS that the cookie carries'),
    expiresAt: z.iso.datetime().describe('when the session ends at the latest (it ends sooner when idle)'),
  }),
);
export type WebSessionBody = z.infer<typeof WebSessionBody>;
