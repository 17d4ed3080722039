import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

interface WebhookApiProps {
  /** The function that verifies and enqueues deliveries (Lambda proxy integration). */
  readonly handler: IFunction;
  /**
   * Steady requests per second for the stage. Meta sends batches, so real traffic is a few requests a
   * second; the limit keeps a flood of forged requests from running up the bill.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
  /** @default three months */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The public REST endpoint Meta calls: `GET /webhook` (subscription handshake) and `POST /webhook`
 * (signed deliveries), both proxied to one function.
 *
 * Request size: API Gateway accepts up to 10 MB, a synchronous Lambda invocation 6 MB, and the
 * webhook itself 6 MiB (`MAX_BODY_BYTES`), all above what a 1000-change Meta batch weighs. Nothing
 * here sets a smaller limit, because a batch we refuse is retried by Meta for 36 hours, then dropped.
 *
 * No binary media types: Meta's JSON is ASCII (non-ASCII text arrives `\u`-escaped), so the body
 * string the function receives is byte for byte what Meta signed, and base64 would cost a third of
 * the 6 MB invocation budget.
 */
class WebhookApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'Api', {
      description: 'Instagram comment webhook (Meta calls it; HMAC-signed)',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Execution logs with data trace would copy comment text and signatures into CloudWatch.
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        // Meta's address, never a commenter's: the request carries no personal data in these fields.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            ip: AccessLogField.contextIdentitySourceIp(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            error: AccessLogField.contextErrorMessage(),
          }),
        ),
      },
    });
    const validator = this.api.addRequestValidator('RequireMetaParameters', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integration = new LambdaIntegration(props.handler, { proxy: true });
    const webhook = this.api.root.addResource('webhook');
    const handshake = webhook.addMethod('GET', integration, {
      requestValidator: validator,
      requestParameters: {
        'method.request.querystring.hub.mode': true,
        'method.request.querystring.hub.verify_token': true,
        'method.request.querystring.hub.challenge': true,
      },
    });
    const delivery = webhook.addMethod('POST', integration, {
      requestValidator: validator,
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
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF: one public route whose requests are rejected by HMAC before any work, with stage throttling; a web ACL would cost more than the threat it removes here.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role needs the AWS managed push-to-CloudWatch policy; it is the documented way to enable stage logging.',
    });
  }

  /** Full URL of the webhook, to paste into the Meta app dashboard. */
  get webhookUrl(): string {
    return this.api.urlForPath('/webhook');
  }
}

export type { WebhookApiProps };
export { WebhookApi };
