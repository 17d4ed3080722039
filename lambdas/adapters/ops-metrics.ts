import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The operations functions' metrics (sweep, token refresh, requeue): named values published once
 * per invocation through Powertools Metrics, under the project's namespace and `service` dimension.
 * The alarms on them are defined in `lib/constructs/pipeline-alarms.ts`.
 */
interface OpsMetrics {
  add(name: string, value: number, unit?: 'Count' | 'Seconds' | 'None'): void;
  flush(): void;
}

const UNITS = {
  Count: MetricUnit.Count,
  Seconds: MetricUnit.Seconds,
  None: MetricUnit.NoUnit,
} as const;

const powertoolsOpsMetrics = (metrics: Metrics): OpsMetrics => {
  let pending = false;
  return {
    add(name, value, unit = 'Count') {
      metrics.addMetric(name, UNITS[unit], value);
      pending = true;
    },
    flush() {
      if (!pending) return;
      pending = false;
      metrics.publishStoredMetrics();
    },
  };
};

/** A sink that remembers every value, for tests and the local runtime. */
const recordingOpsMetrics = (): OpsMetrics & { readonly values: Map<string, number[]> } => {
  const values = new Map<string, number[]>();
  return {
    values,
    add(name, value) {
      values.set(name, [...(values.get(name) ?? []), value]);
    },
    flush() {},
  };
};

export type { OpsMetrics };
export { powertoolsOpsMetrics, recordingOpsMetrics };
