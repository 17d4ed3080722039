/** How a data-subject request names its subject (`subject.ts`); also recorded in the audit trail. */
const SUBJECT_KINDS = ['author', 'username', 'value', 'comment'] as const;
type SubjectKind = (typeof SUBJECT_KINDS)[number];

export type { SubjectKind };
export { SUBJECT_KINDS };
