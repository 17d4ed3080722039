import { Duration, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  LambdaIntegration,
  type MethodOptions,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PipelineRestApi } from './pipeline-rest-api';

interface ReviewApiProps {
  /** The review function (Lambda proxy integration). */
  readonly handler: IFunction;
  /** Staff sign in here; every route needs one of its ID tokens. */
  readonly userPool: IUserPool;
  /** Staff are a handful of people: a low stage limit is plenty. @default 10 */
  readonly throttlingRateLimit?: number;
  /** @default 20 */
  readonly throttlingBurstLimit?: number;
}

/**
 * The staff review API behind a Cognito user pool authorizer: every route needs a valid ID token of
 * the staff pool, and the function checks the token's groups per route (`viewer` reads, `reviewer`
 * acts) and records the token's `sub` and name as the reviewer. The console reaches it through
 * CloudFront under `/api/` (lib/constructs/staff-console.ts).
 *   GET  /me · /reviews · /reviews/{commentId}/audit · /inquiries · /comments · /comments/{commentId}
 *        · /reports/monthly · /health
 *   POST /reviews/{commentId} · /inquiries/{commentId}
 */
class ReviewApi extends Construct {
  readonly api: RestApi;
  readonly authorizer: CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: ReviewApiProps) {
    super(scope, id);
    const rest = new PipelineRestApi(this, 'Rest', {
      job: 'review',
      description: 'Staff review of moderation decisions (Cognito-authorized, groups per route)',
      throttlingRateLimit: props.throttlingRateLimit ?? 10,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
      ownsAccountLoggingRole: false,
    });
    this.api = rest.api;
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });
    const integration = new LambdaIntegration(props.handler, { proxy: true });
    const staff: MethodOptions = {
      authorizationType: AuthorizationType.COGNITO,
      authorizer: this.authorizer,
      requestValidator: rest.validator,
    };
    const withCommentId: MethodOptions = {
      ...staff,
      requestParameters: { 'method.request.path.commentId': true },
    };
    const root = this.api.root;
    root.addResource('me').addMethod('GET', integration, staff);
    const reviews = root.addResource('reviews');
    reviews.addMethod('GET', integration, staff);
    const review = reviews.addResource('{commentId}');
    review.addMethod('POST', integration, withCommentId);
    review.addResource('audit').addMethod('GET', integration, withCommentId);
    const inquiries = root.addResource('inquiries');
    inquiries.addMethod('GET', integration, staff);
    inquiries.addResource('{commentId}').addMethod('POST', integration, withCommentId);
    const comments = root.addResource('comments');
    comments.addMethod('GET', integration, staff);
    comments.addResource('{commentId}').addMethod('GET', integration, withCommentId);
    root.addResource('reports').addResource('monthly').addMethod('GET', integration, staff);
    root.addResource('health').addMethod('GET', integration, staff);

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF: every route requires a Cognito ID token of the staff pool (MFA required, threat protection on) and the stage is throttled; requests without one are refused by API Gateway before any work.',
    });
  }
}

export type { ReviewApiProps };
export { ReviewApi };
