import rumoi from '../../../policies/rumoi/office-hours.json';
import { type OfficeHours, officeHoursSchema } from './schema';

/**
 * Office-hours files are bundled with the code like the policy files (esbuild inlines the JSON), so
 * reading one is not I/O; each is validated when first asked for and a bad file fails the cold start.
 */
const BUNDLED: Readonly<Record<string, unknown>> = { rumoi };

class UnknownOfficeHoursError extends Error {
  override name = 'UnknownOfficeHoursError';
}

const loadOfficeHours = (policyId: string): OfficeHours => {
  const raw = BUNDLED[policyId];
  if (raw === undefined)
    throw new UnknownOfficeHoursError(`no office hours for policy ${policyId}`);
  return officeHoursSchema.parse(raw);
};

export { loadOfficeHours, UnknownOfficeHoursError };
