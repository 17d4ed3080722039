import { Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  LambdaIntegration,
  type MethodOptions,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PipelineRestApi } from './pipeline-rest-api';

interface ReviewApiProps {
  /** The review function (Lambda proxy integration). */
  readonly handler: IFunction;
  /** Staff are a handful of people: a low stage limit is plenty. @default 10 */
  readonly throttlingRateLimit?: number;
  /** @default 20 */
  readonly throttlingBurstLimit?: number;
}

/**
 * The staff review API, every route behind IAM (SigV4) authorization: the caller's IAM identity is
 * the reviewer recorded in the audit trail. Grant `execute-api:Invoke` on this API to staff roles.
 *   GET  /reviews · GET /inquiries · GET /reviews/{commentId}/audit · POST /reviews/{commentId}
 */
class ReviewApi extends Construct {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: ReviewApiProps) {
    super(scope, id);
    const rest = new PipelineRestApi(this, 'Rest', {
      job: 'review',
      description: 'Staff review of moderation decisions (IAM-authorized)',
      throttlingRateLimit: props.throttlingRateLimit ?? 10,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
      ownsAccountLoggingRole: false,
    });
    this.api = rest.api;
    const integration = new LambdaIntegration(props.handler, { proxy: true });
    const iam: MethodOptions = {
      authorizationType: AuthorizationType.IAM,
      requestValidator: rest.validator,
    };
    const withCommentId: MethodOptions = {
      ...iam,
      requestParameters: { 'method.request.path.commentId': true },
    };
    const reviews = this.api.root.addResource('reviews');
    reviews.addMethod('GET', integration, iam);
    this.api.root.addResource('inquiries').addMethod('GET', integration, iam);
    const review = reviews.addResource('{commentId}');
    review.addMethod('POST', integration, withCommentId);
    review.addResource('audit').addMethod('GET', integration, withCommentId);

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Staff authenticate with IAM (SigV4, e.g. through IAM Identity Center); the API records the IAM principal as reviewer, so no Cognito user pool is involved.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF: every route requires SigV4-signed IAM credentials and the stage is throttled; unsigned requests are refused by API Gateway before any work.',
    });
  }
}

export type { ReviewApiProps };
export { ReviewApi };
