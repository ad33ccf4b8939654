/**
 * The policy's `archive` section (issue 15 §1): how the yearly case files (案宗, 001 篇1 §三
 * 按年度建立案宗) of archived cases are grouped inside a year — by the responsible department
 * (the default), the category, the category's `group`, or the grade. Optional: a policy stored
 * before this section existed groups by department.
 */
import { z } from 'zod';

export const ARCHIVE_GROUPINGS = ['department', 'category', 'categoryGroup', 'grade'] as const;
export type ArchiveGrouping = (typeof ARCHIVE_GROUPINGS)[number];
export const DEFAULT_ARCHIVE_GROUPING: ArchiveGrouping = 'department';

export const archiveSection = z.strictObject({
  /** What a year's files are: one per department, category, category group or grade. */
  groupBy: z.enum(ARCHIVE_GROUPINGS).default(DEFAULT_ARCHIVE_GROUPING),
});
export type PolicyArchive = z.infer<typeof archiveSection>;

/** The grouping of a policy's yearly files; a policy stored before this section has the default. */
export function archiveGroupingOf(policy: { archive?: PolicyArchive }): ArchiveGrouping {
  return policy.archive?.groupBy ?? DEFAULT_ARCHIVE_GROUPING;
}
