import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Cognito groups the review API checks per route (lambdas/core/review/access.ts). */
const STAFF_GROUP_NAMES = { viewer: 'viewer', reviewer: 'reviewer' } as const;

interface StaffUserPoolProps {
  /**
   * Prefix of the managed-login domain (`https://<prefix>.auth.<region>.amazoncognito.com`),
   * unique across AWS. @default `policy-guard-staff-<account id>`
   */
  readonly domainPrefix?: string;
}

/**
 * The city's staff accounts: administrators create users (no self sign-up), every sign-in needs a
 * password and a TOTP code (MFA required), and threat protection blocks risky sign-ins. Two
 * groups: `viewer` reads the console, `reviewer` also acts. The `name` attribute is the display
 * name recorded in the audit trail beside the user's `sub`. Kept with the data: users and their
 * MFA devices survive a redeploy of the stateless stack.
 */
class StaffUserPool extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the console's sign-in and token endpoints. */
  readonly authBaseUrl: string;

  constructor(scope: Construct, id: string, props: StaffUserPoolProps = {}) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: 'policy-guard-staff',
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [name, description] of [
      [
        STAFF_GROUP_NAMES.viewer,
        'Reads the review queue, inquiries, decisions, reports and health',
      ],
      [
        STAFF_GROUP_NAMES.reviewer,
        'Also approves, confirms and reclassifies comments and marks inquiries',
      ],
    ] as const) {
      new UserPoolGroup(this, `${name[0]?.toUpperCase()}${name.slice(1)}Group`, {
        userPool: this.userPool,
        groupName: name,
        description,
      });
    }
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `policy-guard-staff-${Aws.ACCOUNT_ID}` },
    });
    this.authBaseUrl = this.domain.baseUrl();
  }
}

export type { StaffUserPoolProps };
export { STAFF_GROUP_NAMES, StaffUserPool };
