import { Stack, Validations } from 'aws-cdk-lib';
import { AuthorizationType, LambdaIntegration, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AccountPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PipelineRestApi } from './pipeline-rest-api';

interface DataRequestApiProps {
  /** The data-request function (Lambda proxy integration). */
  readonly handler: IFunction;
}

const STAGE = 'prod';
const PATH = '/data-requests';

/**
 * Data-subject requests (article 9, APPI) in AWS: `POST /data-requests`, IAM (SigV4) authorised,
 * callable by one role only, the data officer's. The role is created here and may be assumed by
 * principals of this account that are themselves allowed `sts:AssumeRole` on it (the city grants
 * that to its designated officers only); it may call this route and nothing else. The API's
 * resource policy denies every other principal, so a reviewer or viewer with a broad
 * `execute-api:Invoke` grant is still refused, and the function checks the caller's role again.
 */
class DataRequestApi extends Construct {
  readonly api: RestApi;
  readonly officerRole: Role;
  /** `https://…/prod/data-requests` */
  readonly requestUrl: string;

  constructor(scope: Construct, id: string, props: DataRequestApiProps) {
    super(scope, id);
    this.officerRole = new Role(this, 'DataOfficerRole', {
      assumedBy: new AccountPrincipal(Stack.of(this).account),
      description:
        'Data officer: serves data-subject requests (disclose, erase) through the data-request API only',
    });
    const rest = new PipelineRestApi(this, 'Rest', {
      job: 'data-requests',
      description: 'Data-subject requests: disclose or erase what is held about a person (IAM)',
      // A handful of requests a year: one at a time is plenty, and limits any misuse.
      throttlingRateLimit: 1,
      throttlingBurstLimit: 2,
      ownsAccountLoggingRole: false,
    });
    this.api = rest.api;
    const onlyTheOfficer = { 'aws:PrincipalArn': this.officerRole.roleArn };
    this.api.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ArnPrincipal(this.officerRole.roleArn)],
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*'],
      }),
    );
    this.api.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*'],
        conditions: { ArnNotEquals: onlyTheOfficer },
      }),
    );
    this.api.root
      .addResource(PATH.slice(1))
      .addMethod('POST', new LambdaIntegration(props.handler, { proxy: true }), {
        authorizationType: AuthorizationType.IAM,
        requestValidator: rest.validator,
      });
    this.officerRole.addToPolicy(
      new PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [this.api.arnForExecuteApi('POST', PATH, STAGE)],
      }),
    );
    this.requestUrl = this.api.urlForPath(PATH);

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'The data officer authenticates with IAM (SigV4, assuming the DataOfficer role); the resource policy admits that role alone, so no Cognito user pool is involved.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF: the only route requires SigV4-signed credentials of one role, the resource policy denies every other principal before any work, and the stage allows one request per second.',
    });
  }
}

export type { DataRequestApiProps };
export { DataRequestApi };
