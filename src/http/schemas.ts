import { Type } from 'typebox';
import { LIMITS, proposedIdPattern, type IdKind } from '../domain/index.js';

/**
 * Request schemas: Fastify validates every request against them, and their Static types are the
 * handlers' types, so the schema is the one source of truth. Unknown fields are refused, not
 * silently dropped: a typo like `tilte` must not look like success.
 */
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Title = Type.String({ minLength: 1, maxLength: LIMITS.titleLength });
const Description = Type.String({ maxLength: LIMITS.descriptionLength });
/** An id a client proposes for what it creates (see docs/API.md, "Ids"). */
const ProposedId = (kind: IdKind) => Type.Optional(Type.String({ pattern: proposedIdPattern(kind) }));
const Placement = {
  beforeId: Type.Optional(Id),
  afterId: Type.Optional(Id),
};

export const BoardParams = Type.Object({ boardId: Id });
export const ListParams = Type.Object({ boardId: Id, listId: Id });
export const TaskParams = Type.Object({ boardId: Id, taskId: Id });

export const CreateBoardBody = Type.Object(
  {
    title: Title,
    id: ProposedId('board'),
    /** Default private and unlisted (docs/ACCOUNTS.md). */
    visibility: Type.Optional(
      Type.Union([Type.Literal('private'), Type.Literal('public'), Type.Literal('public_edit')]),
    ),
    listed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UpdateBoardBody = Type.Object({ title: Title }, { additionalProperties: false });

export const CreateListBody = Type.Object(
  { title: Title, id: ProposedId('list'), ...Placement },
  { additionalProperties: false },
);
export const UpdateListBody = Type.Object(
  { title: Type.Optional(Title), ...Placement },
  { additionalProperties: false, minProperties: 1 },
);

export const CreateTaskBody = Type.Object(
  { listId: Id, title: Title, id: ProposedId('task'), description: Type.Optional(Description), ...Placement },
  { additionalProperties: false },
);
export const UpdateTaskBody = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    listId: Type.Optional(Id),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    ...Placement,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PollQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    timeout: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]+)?$' })),
  },
  { additionalProperties: false },
);
