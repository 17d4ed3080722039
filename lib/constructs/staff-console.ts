import { CfnOutput, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  GeoRestriction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { OAuthScope, type UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsoleInto, CONSOLE_DIR } from '../../console/build';

interface StaffConsoleProps {
  /** The review API; CloudFront serves it under `/api/` on the console's own origin. */
  readonly api: RestApi;
  readonly userPool: UserPool;
  /** Managed-login base URL of the user pool's domain. */
  readonly authBaseUrl: string;
  /**
   * The city's own name for the console and its ACM certificate (us-east-1). Without them the
   * distribution uses its *.cloudfront.net name and AWS's default certificate.
   */
  readonly domain?: { readonly name: string; readonly certificate: ICertificate };
  /** Countries staff may sign in from (ISO 3166-1 alpha-2). @default ['JP'] */
  readonly allowedCountries?: readonly string[];
}

/** The console's content security policy; `connect-src` adds the sign-in token endpoint. */
const contentSecurityPolicy = (authBaseUrl: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${authBaseUrl}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${authBaseUrl}`,
    "frame-ancestors 'none'",
  ].join('; ');

// `/console` and `/console/` are the index; everything else is a file as built.
const INDEX_FUNCTION = `function handler(event) {
  var request = event.request;
  if (request.uri === '/' || request.uri === '/console') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/console/' } } };
  }
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

// The API's resources are at its root; on the console's origin they sit under /api.
const API_PREFIX_FUNCTION = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/api(?=\\/|$)/, '') || '/';
  return request;
}`;

/**
 * The staff console in AWS: the built files in a private bucket (no public access, TLS only), read
 * by CloudFront through origin access control; the review API behind the same distribution under
 * `/api/` (one origin: no CORS, and the console's content security policy stays `'self'`);
 * security headers on every response; sign-in through the user pool's managed login (authorization
 * code with PKCE, no client secret in the page). The console is built from `console/` when the
 * asset is staged (synth), and `config.json` is written at deploy time with the real addresses.
 */
class StaffConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  readonly url: string;

  constructor(scope: Construct, id: string, props: StaffConsoleProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Built files only: a redeploy writes them again.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Staff console: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.authBaseUrl),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    // API answers carry `cache-control: no-store`; the Authorization header must reach API
    // Gateway, which CloudFront forwards only when it is part of the cache key.
    const apiCache = new CachePolicy(this, 'ApiCachePolicy', {
      comment: 'Review API: forward the Cognito token, cache nothing',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'instagram-policy-guard staff console',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      geoRestriction: GeoRestriction.allowlist(...(props.allowedCountries ?? ['JP'])),
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, 'IndexFunction', {
              code: FunctionCode.fromInline(INDEX_FUNCTION),
              runtime: FunctionRuntime.JS_2_0,
            }),
          },
        ],
      },
      additionalBehaviors: {
        'api/*': {
          origin: new RestApiOrigin(props.api),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCache,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
          functionAssociations: [
            {
              eventType: FunctionEventType.VIEWER_REQUEST,
              function: new CloudFrontFunction(this, 'ApiPrefixFunction', {
                code: FunctionCode.fromInline(API_PREFIX_FUNCTION),
                runtime: FunctionRuntime.JS_2_0,
              }),
            },
          ],
        },
      },
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}/console/`;

    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      userPoolClientName: 'staff-console',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });

    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'console/',
      sources: [
        Source.asset(CONSOLE_DIR, {
          bundling: {
            // Built locally with esbuild, as the functions are; the image is never pulled.
            image: DockerImage.fromRegistry('local-bundling-only'),
            local: {
              tryBundle(outputDir) {
                buildConsoleInto(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', {
          mode: 'cognito',
          apiUrl: '/api',
          authUrl: props.authBaseUrl,
          clientId: this.client.userPoolClientId,
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/console/*'],
      prune: true,
      memoryLimit: 512,
    });

    this.#acknowledge(Boolean(props.domain));

    new CfnOutput(this, 'ConsoleUrl', {
      value: this.url,
      description: 'Staff console (sign in with a staff user of the user pool)',
    });
  }

  #acknowledge(customDomain: boolean): void {
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the built console (code, no data) and is read by CloudFront alone; who used the console is in the review API access logs and the audit trail.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Distribution logs would only repeat the review API access logs (every data request goes to the API, logged with request id and source IP); the rest is static code.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF: the only dynamic path (/api/) requires a Cognito ID token (MFA, threat protection) at API Gateway, which is throttled; a CloudFront web ACL would have to live in us-east-1 and cost more than the handful of staff users it protects.',
    });
    if (!customDomain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the *.cloudfront.net default certificate, whose security policy AWS fixes; set the `domain` prop (city domain + ACM certificate) to enforce TLSv1.2_2021. Browsers negotiate TLS 1.2+ with it in practice.',
      });
    }
    // BucketDeployment's provider function is a CDK singleton at stack level.
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const reason =
        "CDK's BucketDeployment provider, run by CloudFormation at deploy time only: it copies the built console from the CDK asset bucket into the console bucket and invalidates CloudFront.";
      for (const id of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'AwsSolutions-IAM5[Resource::<StaffConsoleFiles77295709.Arn>/*]',
        'AwsSolutions-IAM5[Resource::*]',
      ]) {
        Validations.of(child).acknowledge({
          id,
          reason: `${reason} Its role is CDK's: read the asset, write and prune the console's prefix, invalidate the distribution (CloudFront has no resource-level ARN for that call).`,
        });
      }
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `${reason} Its runtime is chosen by aws-cdk-lib and moves with it.`,
      });
      Validations.of(child).acknowledge({
        id: 'Serverless-LambdaLatestVersion',
        reason: `${reason} Its runtime is chosen by aws-cdk-lib and moves with it.`,
      });
      Validations.of(child).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: `${reason} CloudFormation invokes it and reports a failure as a failed deployment; there is no event to keep.`,
      });
      Validations.of(child).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason: `${reason} A deploy-time copy has nothing to trace.`,
      });
    }
  }
}

export type { StaffConsoleProps };
export { contentSecurityPolicy, StaffConsole };
