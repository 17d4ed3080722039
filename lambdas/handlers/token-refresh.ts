/**
 * The token-refresh function, run twice a day by EventBridge (and on demand with `aws lambda invoke`):
 * refreshes an Instagram-login long-lived token when it is due, stores the new token and its expiry
 * in the secret (the act stage and the sweep read it again within 15 minutes, and at once after a
 * token error), and reports `GraphTokenDaysLeft`, alarmed 10 days before expiry, and
 * `GraphTokenRefreshFailed`, alarmed from the first one.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../../lib/resources';
import { ConfigurationError, type Env, requireEnv } from '../adapters/env';
import {
  GRAPH_HOSTS,
  graphBaseUrlFromEnv,
  graphLoginTypeFromEnv,
} from '../adapters/graph-api-client';
import { GraphReadClient } from '../adapters/graph-read-client';
import { createTokenSecret, type TokenSecret } from '../adapters/graph-token-secret';
import { type OpsMetrics, powertoolsOpsMetrics } from '../adapters/ops-metrics';
import { traced } from '../adapters/tracing';
import { failureCode } from '../core/act/graph-errors';
import {
  DEFAULT_TOKEN_REFRESH_CONFIG,
  daysLeft,
  expiryAfterRefresh,
  planTokenRefresh,
  type TokenPlan,
  type TokenRefreshConfig,
} from '../core/ops/token-refresh';

interface TokenRefreshReport {
  readonly plan: TokenPlan;
  readonly refreshed: boolean;
  /** Days left on the token now in the secret, when its expiry is known. */
  readonly daysLeft?: number;
  /** Meta's refusal (`190/463`...) when a refresh failed. */
  readonly errorCode?: string;
}

type TokenRefreshHandler = (event?: unknown) => Promise<TokenRefreshReport>;

interface TokenRefreshDeps {
  readonly secret: TokenSecret;
  readonly refresh: GraphReadClient['refreshAccessToken'];
  readonly config: TokenRefreshConfig;
  readonly metrics: OpsMetrics;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Epoch ms. */
  readonly now?: () => number;
}

const createTokenRefreshHandler = (deps: TokenRefreshDeps): TokenRefreshHandler => {
  const now = deps.now ?? Date.now;
  const finish = (report: TokenRefreshReport): TokenRefreshReport => {
    deps.metrics.add('GraphTokenChecks', 1);
    if (report.daysLeft !== undefined)
      deps.metrics.add('GraphTokenDaysLeft', report.daysLeft, 'None');
    deps.metrics.flush();
    // Plan, outcome and days only: the token never reaches a log.
    const log = report.errorCode ? deps.logger.error : deps.logger.info;
    log.call(deps.logger, 'graph token checked', {
      plan: report.plan.kind === 'skip' ? `skip:${report.plan.reason}` : 'refresh',
      refreshed: report.refreshed,
      ...(report.daysLeft !== undefined ? { daysLeft: report.daysLeft } : {}),
      ...(report.errorCode ? { errorCode: report.errorCode } : {}),
    });
    return report;
  };

  return async () => {
    const stored = await deps.secret.read();
    const at = now();
    const plan = planTokenRefresh(stored, at, deps.config);
    const before = daysLeft(stored, at);
    if (plan.kind === 'skip') {
      return finish({
        plan,
        refreshed: false,
        ...(before !== undefined ? { daysLeft: before } : {}),
      });
    }
    const result = await deps.refresh(stored.accessToken);
    if (!result.ok) {
      deps.metrics.add('GraphTokenRefreshFailed', 1);
      return finish({
        plan,
        refreshed: false,
        errorCode: failureCode(result.failure),
        ...(before !== undefined ? { daysLeft: before } : {}),
      });
    }
    const refreshedAt = now();
    const expiresAt = expiryAfterRefresh(refreshedAt, result.value.expiresInSeconds);
    try {
      await deps.secret.write(stored, {
        accessToken: result.value.accessToken,
        expiresAt,
        refreshedAt,
      });
    } catch (error) {
      // The old token is still valid; the invocation fails, so Lambda retries and Errors alarms.
      deps.metrics.add('GraphTokenRefreshFailed', 1);
      deps.metrics.flush();
      throw error;
    }
    deps.metrics.add('GraphTokenRefreshed', 1);
    return finish({ plan, refreshed: true, daysLeft: daysLeft({ expiresAt }, refreshedAt) ?? 0 });
  };
};

/** Configuration read once: the secret, the login type (its host), fail fast when missing. */
const tokenRefreshDepsFromEnv = (env: Env): TokenRefreshDeps => {
  const secretArn = requireEnv(env, ENV.graphTokenSecretArn);
  const loginType = graphLoginTypeFromEnv(env);
  if (!loginType) {
    throw new ConfigurationError(`missing required environment variable ${ENV.graphLoginType}`);
  }
  const client = new GraphReadClient({
    baseUrl: graphBaseUrlFromEnv(env) ?? GRAPH_HOSTS[loginType],
  });
  return {
    secret: createTokenSecret(traced(new SecretsManagerClient({})), secretArn),
    refresh: (token) => client.refreshAccessToken(token),
    config: { ...DEFAULT_TOKEN_REFRESH_CONFIG, loginType },
    metrics: powertoolsOpsMetrics(new Metrics()),
    logger: new Logger({ serviceName: 'token-refresh' }),
  };
};

let built: TokenRefreshHandler | undefined;

const handler: TokenRefreshHandler = (event) => {
  built ??= createTokenRefreshHandler(tokenRefreshDepsFromEnv(process.env));
  return built(event);
};

export type { TokenRefreshDeps, TokenRefreshHandler, TokenRefreshReport };
export { createTokenRefreshHandler, handler, tokenRefreshDepsFromEnv };
