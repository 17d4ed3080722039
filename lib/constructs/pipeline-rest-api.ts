import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

interface PipelineRestApiProps {
  /**
   * What the API is for (`webhook`, `review`): its name is `<stack>-<job>`, which is the `ApiName`
   * dimension of its metrics, so alarms on one API never mix in the other.
   */
  readonly job: string;
  readonly description: string;
  /** Steady requests per second for the whole stage. */
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  /**
   * Creates the account-wide API Gateway logging role. Exactly one API per account and region may do
   * it; the others must depend on that one.
   */
  readonly ownsAccountLoggingRole: boolean;
  /** @default three months */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The house REST API: regional, one `prod` stage with throttling, X-Ray, metrics, error-level execution
 * logs without request or response bodies, JSON access logs with retention, and a request validator
 * for the methods to use. No business routes: the owning construct adds them.
 */
class PipelineRestApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;
  readonly validator: RequestValidator;

  constructor(scope: Construct, id: string, props: PipelineRestApiProps) {
    super(scope, id);
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: `${Stack.of(this).stackName}-${props.job}`,
      description: props.description,
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: props.ownsAccountLoggingRole,
      ...(props.ownsAccountLoggingRole
        ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY }
        : {}),
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Data trace would copy request and response bodies (comment text, reviews) into CloudWatch.
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
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
    this.validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    if (props.ownsAccountLoggingRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level API Gateway logging role needs the AWS managed push-to-CloudWatch policy; it is the documented way to enable stage logging.',
      });
    }
  }
}

export type { PipelineRestApiProps };
export { PipelineRestApi };
