/**
 * Rate-limit usage reported by Meta in `X-Business-Use-Case-Usage` (and `X-App-Usage`). Headers
 * are untrusted: anything malformed is ignored rather than thrown, and values are clamped.
 */

interface UsageReading {
  /** Highest of call_count, total_time and total_cputime over every entry, in percent. */
  readonly usagePercent: number;
  /** Highest `estimated_time_to_regain_access` over every entry, in minutes (0 when not throttled). */
  readonly regainAccessMinutes: number;
}

const MAX_HEADER_LENGTH = 16_384;
// A day: Meta's windows are an hour; anything larger is a malformed value, not a plan.
const MAX_REGAIN_MINUTES = 24 * 60;

const percent = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(Math.max(value, 0), 1000)
    : undefined;

const minutes = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(Math.max(value, 0), MAX_REGAIN_MINUTES)
    : undefined;

const readEntry = (entry: unknown): UsageReading | undefined => {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const parts = [percent(e.call_count), percent(e.total_time), percent(e.total_cputime)].filter(
    (v): v is number => v !== undefined,
  );
  const regain = minutes(e.estimated_time_to_regain_access);
  if (parts.length === 0 && regain === undefined) return undefined;
  return { usagePercent: Math.max(0, ...parts), regainAccessMinutes: regain ?? 0 };
};

const combine = (readings: readonly UsageReading[]): UsageReading | undefined =>
  readings.length === 0
    ? undefined
    : {
        usagePercent: Math.max(...readings.map((r) => r.usagePercent)),
        regainAccessMinutes: Math.max(...readings.map((r) => r.regainAccessMinutes)),
      };

const parseJson = (header: string | null | undefined): unknown => {
  if (!header || header.length > MAX_HEADER_LENGTH) return undefined;
  try {
    return JSON.parse(header);
  } catch {
    return undefined;
  }
};

/**
 * `{"<business-id>": [{"type", "call_count", "total_cputime", "total_time",
 * "estimated_time_to_regain_access"}]}`: one reading, the worst over all businesses and types.
 */
const parseBusinessUseCaseUsage = (header: string | null | undefined): UsageReading | undefined => {
  const parsed = parseJson(header);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const readings: UsageReading[] = [];
  for (const entries of Object.values(parsed)) {
    const list = Array.isArray(entries) ? entries : [entries];
    for (const entry of list) {
      const reading = readEntry(entry);
      if (reading) readings.push(reading);
    }
  }
  return combine(readings);
};

/** `{"call_count", "total_time", "total_cputime"}` (platform rate limits). */
const parseAppUsage = (header: string | null | undefined): UsageReading | undefined =>
  readEntry(parseJson(header));

/** The worst of whatever the response carried. */
const readUsageHeaders = (
  get: (name: string) => string | null | undefined,
): UsageReading | undefined =>
  combine(
    [
      parseBusinessUseCaseUsage(get('x-business-use-case-usage')),
      parseAppUsage(get('x-app-usage')),
    ].filter((r): r is UsageReading => r !== undefined),
  );

export type { UsageReading };
export { parseAppUsage, parseBusinessUseCaseUsage, readUsageHeaders };
