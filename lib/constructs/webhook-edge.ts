import { Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnIPSet, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * A regular expression matching the decimal integers greater than `limit` (leading zeros allowed):
 * every longer number, and for each digit position every same-length number that agrees up to it
 * and is larger there. AWS WAF compares strings, not numbers, so this is how a `Content-Length`
 * over the limit is recognised at the edge.
 */
const decimalGreaterThan = (limit: number): string => {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`bad limit ${limit}`);
  const digits = String(limit);
  const longer = `[1-9][0-9]{${digits.length},}`;
  const sameLength: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d === 9) continue;
    const low = i === 0 ? Math.max(d + 1, 1) : d + 1;
    const range = low === 9 ? '9' : `[${low}-9]`;
    const rest = digits.length - i - 1;
    sameLength.push(`${digits.slice(0, i)}${range}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  return `^\\s*0*(?:${[longer, ...sameLength].join('|')})\\s*$`;
};

interface WebhookEdgeProps {
  /** The webhook REST API; the web ACL is associated with its deployment stage. */
  readonly api: RestApi;
  /** The webhook function's body limit (`MAX_BODY_BYTES`): larger requests end at the edge. */
  readonly maxBodyBytes: number;
  /**
   * Requests per 5 minutes one address may send. Meta batches up to 1,000 changes a request, so
   * a city's deliveries are a few an hour; a flood from one address is cut well before it can use
   * up the stage's limit that Meta's deliveries share. @default 300
   */
  readonly perIpLimit?: number;
  /**
   * Meta's published webhook delivery ranges (context `metaWebhookCidrs`), IPv4 and IPv6. They get
   * a higher per-address limit; they are not an allow list, and the signature is still checked.
   */
  readonly metaCidrs?: readonly string[];
  /** @default 3000 */
  readonly metaPerIpLimit?: number;
}

/** Metric names of the web ACL and its rules (dimension `Rule` of AWS/WAFV2). */
const EDGE_METRICS = {
  acl: 'WebhookEdge',
  bodyTooLarge: 'WebhookBodyTooLarge',
  perIp: 'WebhookPerIpRateLimit',
  meta: 'WebhookMetaRangesRateLimit',
} as const;

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  // Sampled requests show URI and headers, never bodies (comment text).
  sampledRequestsEnabled: true,
});

const blockWith = (responseCode: number): CfnWebACL.RuleActionProperty => ({
  block: { customResponse: { responseCode } },
});

/**
 * The webhook's edge: an AWS WAF web ACL on its stage that ends, before API Gateway or Lambda
 * spend anything, requests whose `Content-Length` is over the function's limit (413) and floods
 * from one address (429, rate-based per IP). Meta's delivery ranges, when configured, get a limit
 * of their own. The stage throttle and the function's reserved concurrency stay behind it.
 */
class WebhookEdge extends Construct {
  readonly webAcl: CfnWebACL;
  readonly webAclName: string;

  constructor(scope: Construct, id: string, props: WebhookEdgeProps) {
    super(scope, id);
    this.webAclName = `${Stack.of(this).stackName}-webhook`;
    const cidrs = props.metaCidrs ?? [];
    const ipSets = (['IPV4', 'IPV6'] as const)
      .map((version) => ({
        version,
        addresses: cidrs.filter((c) => (version === 'IPV6') === c.includes(':')),
      }))
      .filter((s) => s.addresses.length > 0)
      .map(
        (s) =>
          new CfnIPSet(this, `MetaRanges${s.version}`, {
            scope: 'REGIONAL',
            ipAddressVersion: s.version,
            addresses: s.addresses,
            description: 'Meta webhook delivery ranges, from context metaWebhookCidrs',
          }),
      );
    const fromMeta: CfnWebACL.StatementProperty | undefined =
      ipSets.length === 0
        ? undefined
        : ipSets.length === 1
          ? { ipSetReferenceStatement: { arn: (ipSets[0] as CfnIPSet).attrArn } }
          : {
              orStatement: {
                statements: ipSets.map((set) => ({
                  ipSetReferenceStatement: { arn: set.attrArn },
                })),
              },
            };

    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: 'BodyOverTheWebhookLimit',
        priority: 0,
        action: blockWith(413),
        statement: {
          regexMatchStatement: {
            fieldToMatch: { singleHeader: { Name: 'content-length' } },
            regexString: decimalGreaterThan(props.maxBodyBytes),
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        visibilityConfig: visibility(EDGE_METRICS.bodyTooLarge),
      },
    ];
    if (fromMeta) {
      rules.push({
        name: 'MetaRangesRateLimit',
        priority: 1,
        action: blockWith(429),
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: props.metaPerIpLimit ?? 3000,
            evaluationWindowSec: 300,
            scopeDownStatement: fromMeta,
          },
        },
        visibilityConfig: visibility(EDGE_METRICS.meta),
      });
    }
    rules.push({
      name: 'PerIpRateLimit',
      priority: 2,
      action: blockWith(429),
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: props.perIpLimit ?? 300,
          evaluationWindowSec: 300,
          ...(fromMeta ? { scopeDownStatement: { notStatement: { statement: fromMeta } } } : {}),
        },
      },
      visibilityConfig: visibility(EDGE_METRICS.perIp),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: this.webAclName,
      description: 'instagram-policy-guard webhook: body size and per-address rate limits',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(EDGE_METRICS.acl),
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}

export type { WebhookEdgeProps };
export { decimalGreaterThan, EDGE_METRICS, WebhookEdge };
