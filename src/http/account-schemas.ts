import { Type } from 'typebox';
import { ROLES, VISIBILITIES } from '../domain/index.js';

/**
 * Schemas of the account and sharing routes: requests (unknown fields refused, like every route's)
 * and responses, which Fastify serializes through them, so a field that is not listed here (a
 * password hash, a token's hash) cannot reach a client even if a record carries it.
 */
const Id = Type.String({ minLength: 1, maxLength: 100 });
/** Lengths here only stop absurd input before any work; the domain's rules give the precise answers. */
const Username = Type.String({ minLength: 1, maxLength: 100 });
const Password = Type.String({ maxLength: 1024 });
const DisplayName = Type.String({ maxLength: 256 });
const Role = Type.Union([Type.Literal('owner'), Type.Literal('editor'), Type.Literal('viewer')], {
  description: `one of ${ROLES.join(', ')}`,
});
const Visibility = Type.Union(
  [Type.Literal('private'), Type.Literal('public'), Type.Literal('public_edit')],
  { description: `one of ${VISIBILITIES.join(', ')}` },
);
const Secret = Type.String({ minLength: 1, maxLength: 200 });
const Days = Type.Integer({ minimum: 1, maximum: 3650 });

export const SignUpBody = Type.Object(
  {
    username: Username,
    password: Password,
    displayName: Type.Optional(DisplayName),
    invitation: Type.Optional(Secret),
  },
  { additionalProperties: false },
);
export const SignInBody = Type.Object(
  { username: Username, password: Password },
  { additionalProperties: false },
);
export const UpdateMeBody = Type.Object({ displayName: DisplayName }, { additionalProperties: false });
export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scope: Type.Union([Type.Literal('read'), Type.Literal('write')]),
    expiresInDays: Type.Optional(Days),
  },
  { additionalProperties: false },
);
export const TokenParams = Type.Object({ tokenId: Id });

export const UpdateAccessBody = Type.Object(
  { visibility: Type.Optional(Visibility), listed: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export const AddMemberBody = Type.Object({ username: Username, role: Role }, { additionalProperties: false });
export const UpdateMemberBody = Type.Object({ role: Role }, { additionalProperties: false });
export const MemberParams = Type.Object({ boardId: Id, userId: Id });
export const CreateInvitationBody = Type.Object(
  {
    role: Role,
    label: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    expiresInDays: Type.Optional(Days),
    maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export const InvitationParams = Type.Object({ boardId: Id, invitationId: Id });
export const InvitationTokenBody = Type.Object({ token: Secret }, { additionalProperties: false });

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  createdAt: Type.String(),
});
export const UserReply = Type.Object({ user: UserSchema });
export const MemberSchema = Type.Object({ userId: Type.String(), username: Type.String(), role: Role });
export const MembersReply = Type.Object({ members: Type.Array(MemberSchema) });
export const AccessReply = Type.Object({
  visibility: Visibility,
  listed: Type.Boolean(),
  role: Type.Union([Role, Type.Null()]),
});
export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scope: Type.Union([Type.Literal('read'), Type.Literal('write')]),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export const TokensReply = Type.Object({ tokens: Type.Array(TokenSchema) });
export const CreatedTokenReply = Type.Object({ token: TokenSchema, secret: Type.String() });
export const InvitationSchema = Type.Object({
  id: Type.String(),
  boardId: Type.String(),
  role: Role,
  label: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Object({ userId: Type.String(), username: Type.String() }),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  maxUses: Type.Union([Type.Integer(), Type.Null()]),
  uses: Type.Integer(),
});
export const InvitationsReply = Type.Object({ invitations: Type.Array(InvitationSchema) });
export const CreatedInvitationReply = Type.Object({ invitation: InvitationSchema, token: Type.String() });
export const InvitationPreviewReply = Type.Object({
  boardId: Type.String(),
  boardTitle: Type.String(),
  role: Role,
  invitedBy: Type.Object({ username: Type.String() }),
});
export const InvitationAcceptedReply = Type.Object({ boardId: Type.String(), role: Role });
