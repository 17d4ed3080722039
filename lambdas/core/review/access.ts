import { StaffForbiddenError } from './errors';

/**
 * Who may do what on the review API. Staff belong to Cognito groups: `viewer` reads (queue,
 * inquiries, decisions, audit, reports, health), `reviewer` also acts (reviews, inquiry marks).
 * The identity is the verified token's (AWS) or the local name (local runtime): never a value the
 * caller writes into the request body.
 */

const STAFF_GROUPS = ['viewer', 'reviewer'] as const;
type StaffGroup = (typeof STAFF_GROUPS)[number];

type Permission = 'read' | 'act';

interface StaffIdentity {
  /** Stable id recorded in the audit trail: `cognito:<sub>` or `local:<name>`. */
  readonly id: string;
  /** Shown to people beside the id. */
  readonly name: string;
  readonly groups: readonly StaffGroup[];
}

const allows = (identity: StaffIdentity, permission: Permission): boolean =>
  permission === 'act'
    ? identity.groups.includes('reviewer')
    : identity.groups.some((g) => g === 'viewer' || g === 'reviewer');

const requirePermission = (identity: StaffIdentity, permission: Permission): void => {
  if (!allows(identity, permission)) throw new StaffForbiddenError(permission);
};

const isStaffGroup = (value: string): value is StaffGroup =>
  (STAFF_GROUPS as readonly string[]).includes(value);

/**
 * The `cognito:groups` claim as API Gateway hands it over: REST authorizers flatten arrays into a
 * string (`viewer,reviewer` or `[viewer reviewer]`), tests and other callers pass an array. Groups
 * this API does not know are dropped.
 */
const parseGroupsClaim = (raw: unknown): StaffGroup[] => {
  const values = Array.isArray(raw)
    ? raw.filter((v): v is string => typeof v === 'string')
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return [...new Set(values.map((v) => v.trim()).filter(isStaffGroup))];
};

export type { Permission, StaffGroup, StaffIdentity };
export { allows, parseGroupsClaim, requirePermission, STAFF_GROUPS };
