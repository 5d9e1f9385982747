import { Type } from 'typebox';
import {
  COVER_COLORS,
  LABEL_COLORS,
  LIMITS,
  SEARCH_LIMITS,
  proposedIdPattern,
  type CoverColor,
  type IdKind,
  type LabelColor,
} from '../domain/index.js';

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

/**
 * A card's values, by type only: the domain checks the rest (a date that exists, start before due,
 * a reminder only with a due date), alike for every door. Nothing is coerced: `"5"` is not 5.
 */
const Instant = Type.Union([Type.String({ maxLength: 40 }), Type.Null()], {
  description: 'an ISO 8601 instant with its zone (2026-12-03T17:00:00Z), or null',
});
const CardFields = {
  startAt: Type.Optional(Instant),
  dueAt: Type.Optional(Instant),
  dueComplete: Type.Optional(Type.Boolean()),
  reminder: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0, maximum: LIMITS.reminderMaxMinutes }), Type.Null()], {
      description: 'minutes before the due date',
    }),
  ),
  coverColor: Type.Optional(Type.Unsafe<CoverColor | null>({ enum: [...COVER_COLORS, null] })),
};
const LabelColorSchema = Type.Unsafe<LabelColor | null>({ enum: [...LABEL_COLORS, null] });
const IdList = (max: number) => Type.Array(Id, { maxItems: max, uniqueItems: true });
const SetChange = (max: number) =>
  Type.Object(
    { add: Type.Optional(IdList(max)), remove: Type.Optional(IdList(max)) },
    { additionalProperties: false },
  );
const WipFields = {
  wipLimit: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: LIMITS.wipLimitMax }), Type.Null()]),
  ),
  wipHard: Type.Optional(Type.Boolean()),
};

export const BoardParams = Type.Object({ boardId: Id });
export const LabelParams = Type.Object({ boardId: Id, labelId: Id });
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
  { title: Title, id: ProposedId('list'), ...WipFields, ...Placement },
  { additionalProperties: false },
);
export const UpdateListBody = Type.Object(
  { title: Type.Optional(Title), ...WipFields, ...Placement },
  { additionalProperties: false, minProperties: 1 },
);

export const CreateTaskBody = Type.Object(
  {
    listId: Id,
    title: Title,
    id: ProposedId('task'),
    description: Type.Optional(Description),
    labelIds: Type.Optional(IdList(LIMITS.labelsPerCard)),
    assigneeIds: Type.Optional(IdList(LIMITS.assigneesPerCard)),
    ...CardFields,
    ...Placement,
  },
  { additionalProperties: false },
);
export const UpdateTaskBody = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    listId: Type.Optional(Id),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    archived: Type.Optional(Type.Boolean()),
    labels: Type.Optional(SetChange(LIMITS.labelsPerCard)),
    assignees: Type.Optional(SetChange(LIMITS.assigneesPerCard)),
    ...CardFields,
    ...Placement,
  },
  { additionalProperties: false, minProperties: 1 },
);

const LabelName = Type.String({ maxLength: LIMITS.labelNameLength });
export const CreateLabelBody = Type.Object(
  { name: LabelName, color: LabelColorSchema, id: ProposedId('label'), ...Placement },
  { additionalProperties: false },
);
export const UpdateLabelBody = Type.Object(
  { name: Type.Optional(LabelName), color: Type.Optional(LabelColorSchema), ...Placement },
  { additionalProperties: false, minProperties: 1 },
);

export const PollQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    timeout: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]+)?$' })),
  },
  { additionalProperties: false },
);

export const CommentParams = Type.Object({ boardId: Id, commentId: Id });
/** Blank bodies are refused by the domain, with the same answer on every door (the CLI's included). */
const CommentBody = Type.String({ maxLength: LIMITS.commentLength });
export const CreateCommentBody = Type.Object(
  { taskId: Id, body: CommentBody, id: ProposedId('comment') },
  { additionalProperties: false },
);
export const UpdateCommentBody = Type.Object({ body: CommentBody }, { additionalProperties: false });

/** A seq to page below: a positive integer. Query strings are strings (types are never coerced). */
const Before = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });
/** 1 to 100. */
const LimitTo100 = Type.String({ pattern: '^([1-9]|[1-9][0-9]|100)$' });
/** 1 to 50. */
const LimitTo50 = Type.String({ pattern: '^([1-9]|[1-4][0-9]|50)$' });

export const CommentsQuery = Type.Object(
  { taskId: Id, before: Type.Optional(Before), limit: Type.Optional(LimitTo100) },
  { additionalProperties: false },
);
export const ActivityQuery = Type.Object(
  { taskId: Type.Optional(Id), before: Type.Optional(Before), limit: Type.Optional(LimitTo100) },
  { additionalProperties: false },
);
export const SearchQueryString = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: SEARCH_LIMITS.queryLength }),
    limit: Type.Optional(LimitTo50),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ChecklistParams = Type.Object({ boardId: Id, checklistId: Id });
export const ItemParams = Type.Object({ boardId: Id, itemId: Id });
export const LinkParams = Type.Object({ boardId: Id, linkId: Id });

/** Blank or multi-line text is refused by the domain, alike for every door. */
const ItemText = Type.String({ maxLength: LIMITS.itemTextLength });
const NewItem = Type.Object(
  { text: ItemText, done: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const CreateChecklistBody = Type.Object(
  {
    taskId: Id,
    title: Title,
    id: ProposedId('checklist'),
    // Past the limit is the domain's 409 limit_reached, as for the 201st item added alone.
    items: Type.Optional(Type.Array(NewItem, { maxItems: LIMITS.itemsPerChecklist + 1 })),
    ...Placement,
  },
  { additionalProperties: false },
);
export const UpdateChecklistBody = Type.Object(
  { title: Type.Optional(Title), ...Placement },
  { additionalProperties: false, minProperties: 1 },
);
export const CreateItemBody = Type.Object(
  {
    checklistId: Id,
    text: ItemText,
    done: Type.Optional(Type.Boolean()),
    id: ProposedId('item'),
    ...Placement,
  },
  { additionalProperties: false },
);
export const UpdateItemBody = Type.Object(
  {
    text: Type.Optional(ItemText),
    done: Type.Optional(Type.Boolean()),
    /** The item's version the client saw: checked against its text only. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Another checklist of the same card. */
    checklistId: Type.Optional(Id),
    ...Placement,
  },
  { additionalProperties: false, minProperties: 1 },
);
export const CreateLinkBody = Type.Object(
  {
    taskId: Id,
    url: Type.String({ maxLength: LIMITS.urlLength }),
    title: Type.Optional(Type.String({ maxLength: LIMITS.titleLength })),
    id: ProposedId('link'),
  },
  { additionalProperties: false },
);
/** A link's new title (`""` takes it off) or URL, or both; the domain checks them as on add. */
export const UpdateLinkBody = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: LIMITS.urlLength })),
    title: Type.Optional(Type.String({ maxLength: LIMITS.titleLength })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** What the writes of checklists, items and links answer (their success schemas in the OpenAPI document). */
const ItemFields = {
  id: Type.String(),
  text: Type.String(),
  done: Type.Boolean(),
  position: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  textBy: Type.Union([Type.Object({ userId: Type.String(), username: Type.String() }), Type.Null()], {
    description: 'who wrote the current text (made the item or last reworded it); null when anonymous',
  }),
};
export const ChecklistReply = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  title: Type.String(),
  position: Type.String(),
  items: Type.Array(Type.Object(ItemFields)),
});
export const ItemReply = Type.Object({ ...ItemFields, taskId: Type.String(), checklistId: Type.String() });
export const LinkReply = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  url: Type.String(),
  title: Type.String(),
});
/** A deletion: no body. */
export const Deleted = Type.Null({ description: 'deleted: no body' });
