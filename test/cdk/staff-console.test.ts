import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type Resource, resourcesOf, synthesizeForSuite } from './support/pipeline';

/** Staff sign-in (stateful) and the console's hosting (stateless), property by property. */

let stateful: Template;
let stateless: Template;
synthesizeForSuite((synthesized) => {
  ({ stateful, stateless } = synthesized);
});

const only = (template: Template, type: string): Resource => {
  const found = resourcesOf(template, type);
  expect(found, type).toHaveLength(1);
  return (found[0] as [string, Resource])[1];
};

describe('staff user pool', () => {
  it('is administrator-created only, with MFA required and threat protection on, and kept', () => {
    const pool = only(stateful, 'AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties.Policies).toMatchObject({
      PasswordPolicy: { MinimumLength: 14, RequireSymbols: true, RequireUppercase: true },
    });
    expect(pool.Properties.Schema).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'name', Required: true })]),
    );
  });

  it('has exactly the two groups the API checks', () => {
    const groups = resourcesOf(stateful, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['reviewer', 'viewer']);
  });
});

describe('console hosting', () => {
  it('keeps the files in a private, TLS-only bucket that only the distribution reads', () => {
    const bucket = only(stateless, 'AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const policy = only(stateless, 'AWS::S3::BucketPolicy');
    const statements = (
      policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    const oac = only(stateless, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  it('serves over HTTPS with security headers, from Japan, with the API under /api/ uncached', () => {
    const dist = only(stateless, 'AWS::CloudFront::Distribution');
    const config = dist.Properties.DistributionConfig as Record<string, unknown> & {
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors: Record<string, unknown>[];
    };
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Restrictions).toEqual({
      GeoRestriction: { Locations: ['JP'], RestrictionType: 'whitelist' },
    });
    expect(config.CacheBehaviors).toHaveLength(1);
    const api = config.CacheBehaviors[0] as Record<string, unknown>;
    expect(api).toMatchObject({ PathPattern: 'api/*', ViewerProtocolPolicy: 'https-only' });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST']));
    stateless.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
        }),
      }),
    });
    const headers = only(stateless, 'AWS::CloudFront::ResponseHeadersPolicy');
    const security = (
      headers.Properties.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      }
    ).SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy?.ContentSecurityPolicy);
    for (const directive of ["script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000 });
    expect(security.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(security.ContentTypeOptions).toMatchObject({ Override: true });
  });

  it('signs in with the authorization code flow, no client secret, back to the console only', () => {
    const client = only(stateless, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(JSON.stringify(client.Properties.CallbackURLs)).toContain('/console/');
    expect(client.Properties.CallbackURLs).toHaveLength(1);
  });

  it('deploys the built console and a config.json with the sign-in addresses', () => {
    const deployments = resourcesOf(stateless, 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(1);
    const props = (deployments[0] as [string, Resource])[1].Properties;
    expect(props.DestinationBucketKeyPrefix).toBe('console/');
    expect(props.SourceObjectKeys).toHaveLength(2);
    // config.json is written at deploy time: its markers stand for the app client and the
    // user pool's sign-in domain.
    const markers = JSON.stringify(props.SourceMarkers);
    const clientId = resourcesOf(stateless, 'AWS::Cognito::UserPoolClient')[0]?.[0];
    expect(markers).toContain(`{"Ref":"${clientId}"}`);
    expect(markers).toMatch(/StaffUsersPoolDomain/);
    expect(props.DistributionPaths).toEqual(['/console/*']);
  });
});
