import { Validations } from 'aws-cdk-lib';
import { LambdaIntegration, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { MAX_BODY_BYTES } from '../../lambdas/core/webhook/delivery';
import { PipelineRestApi } from './pipeline-rest-api';
import { WebhookEdge, type WebhookEdgeProps } from './webhook-edge';

interface WebhookApiProps {
  /** The function that verifies and enqueues deliveries (Lambda proxy integration). */
  readonly handler: IFunction;
  /**
   * Steady requests per second. Meta sends batches, so real traffic is a few requests a second; the
   * limit keeps a flood of forged requests from running up the bill.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
  /** The web ACL's per-address limits and Meta's ranges (see WebhookEdge). */
  readonly edge?: Pick<WebhookEdgeProps, 'perIpLimit' | 'metaCidrs' | 'metaPerIpLimit'>;
}

/**
 * The public REST endpoint Meta calls: `GET /webhook` (subscription handshake) and `POST /webhook`
 * (signed deliveries), both proxied to one function, behind a web ACL (WebhookEdge). This API owns
 * the account's API Gateway logging role.
 *
 * Request size: API Gateway accepts up to 10 MB, a synchronous Lambda invocation 6 MB, and the
 * webhook itself 6 MiB (`MAX_BODY_BYTES`), all above what a 1000-change Meta batch weighs. The edge
 * refuses a `Content-Length` over the webhook's own limit (never smaller: a batch we refuse is
 * retried by Meta for 36 hours, then dropped), so an oversized body costs no invocation.
 *
 * No binary media types: Meta's JSON is ASCII (non-ASCII text arrives `\u`-escaped), so the body
 * string the function receives is byte for byte what Meta signed, and base64 would cost a third of
 * the 6 MB invocation budget.
 */
class WebhookApi extends Construct {
  readonly api: RestApi;
  readonly edge: WebhookEdge;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const rest = new PipelineRestApi(this, 'Rest', {
      job: 'webhook',
      description: 'Instagram comment webhook (Meta calls it; HMAC-signed)',
      throttlingRateLimit: props.throttlingRateLimit ?? 50,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      ownsAccountLoggingRole: true,
    });
    this.api = rest.api;
    const integration = new LambdaIntegration(props.handler, { proxy: true });
    const webhook = this.api.root.addResource('webhook');
    // Requests missing what Meta always sends are turned away before they cost an invocation.
    const handshake = webhook.addMethod('GET', integration, {
      requestValidator: rest.validator,
      requestParameters: {
        'method.request.querystring.hub.mode': true,
        'method.request.querystring.hub.verify_token': true,
        'method.request.querystring.hub.challenge': true,
      },
    });
    const delivery = webhook.addMethod('POST', integration, {
      requestValidator: rest.validator,
      requestParameters: { 'method.request.header.X-Hub-Signature-256': true },
    });
    for (const method of [handshake, delivery]) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Meta calls this endpoint without AWS credentials; every delivery is authenticated by its X-Hub-Signature-256 HMAC and the handshake by the verify token, both checked in the function.',
      });
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'The caller is Meta, not a Cognito user: authentication is the HMAC signature.',
      });
    }
    this.edge = new WebhookEdge(this, 'Edge', {
      api: this.api,
      maxBodyBytes: MAX_BODY_BYTES,
      ...props.edge,
    });
  }

  /** Full URL of the webhook, to paste into the Meta app dashboard. */
  get webhookUrl(): string {
    return this.api.urlForPath('/webhook');
  }
}

export type { WebhookApiProps };
export { WebhookApi };
