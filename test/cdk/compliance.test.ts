import { rmSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { VALIDATE_AGAINST_DEFAULT_RULES } from 'aws-cdk-lib/cx-api';
import { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../lib/pipeline-app';
import { cdkJsonContext, type SynthesizedPipeline, synthesizePipeline } from './support/pipeline';

/**
 * cdk-nag consults acknowledgements itself (a matched finding never reaches the report), so to tell
 * a used acknowledgement from a stale one the packs' lookup is observed. It is a private method of
 * the pinned cdk-nag 3.0.2; if an upgrade renames it, the "no stale acknowledgement" test fails.
 */
const matched = new Set<string>();
const nagPackInternals = NagPack.prototype as unknown as {
  isAcknowledged(resource: IConstruct, ruleId: string): boolean;
};
const isAcknowledged = nagPackInternals.isAcknowledged;
nagPackInternals.isAcknowledged = function (this: NagPack, resource, ruleId) {
  const acknowledged = isAcknowledged.call(this, resource, ruleId);
  if (acknowledged) {
    for (let c: IConstruct | undefined = resource; c; c = c.node.scope) {
      if (acknowledgementsAt(c).has(ruleId)) matched.add(`${c.node.path}|${ruleId}`);
    }
  }
  return acknowledged;
};

/** `{ ruleId: reason }` recorded on one construct by `Validations.of(c).acknowledge`. */
const acknowledgementsAt = (c: IConstruct): Map<string, string> =>
  new Map(
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => [id.replace(/^annotation::/i, ''), reason]),
  );

const allAcknowledgements = (app: App) =>
  app.node
    .findAll()
    .flatMap((c) => [...acknowledgementsAt(c)].map(([id, reason]) => ({ c, id, reason })));

let synthesized: SynthesizedPipeline;

beforeAll(() => {
  synthesized = synthesizePipeline();
});

afterAll(() => rmSync(synthesized.outdir, { recursive: true, force: true }));

describe('best-practice gates', () => {
  it('leave no unacknowledged finding from cdk-nag or CloudFormation Validate', () => {
    // Errors would have thrown during synthesis; warnings would still be listed in the report.
    const violations = (synthesized.report?.pluginReports ?? []).flatMap(
      (r) => (r.violations as unknown[]) ?? [],
    );
    expect(violations).toEqual([]);
  });

  it('turn CloudFormation Validate findings into errors for every synth', () => {
    expect(VALIDATE_AGAINST_DEFAULT_RULES).toBe('@aws-cdk/core:validateAgainstDefaultRules');
    expect(cdkJsonContext()[VALIDATE_AGAINST_DEFAULT_RULES]).toBe(true);
  });

  it('give every acknowledgement a reason someone can check', () => {
    const acknowledgements = allAcknowledgements(synthesized.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { c, id, reason } of acknowledgements) {
      expect(reason.length, `${c.node.path} ${id}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledge only findings that actually occur', () => {
    const stale = allAcknowledgements(synthesized.app)
      .filter(({ id }) => /^(AwsSolutions|Serverless)-/.test(id))
      .map(({ c, id }) => `${c.node.path}|${id}`)
      .filter((key) => !matched.has(key));
    expect(stale).toEqual([]);
  });

  it('fail the synth on a finding nobody acknowledged', () => {
    const app = new App({ context: cdkJsonContext() });
    // A queue with no DLQ and no TLS-only policy: both packs object.
    new Queue(new Stack(app, 'Scratch'), 'Bare');
    addComplianceChecks(app);
    const failure = (() => {
      try {
        app.synth();
        return '';
      } catch (error) {
        return String(error);
      }
    })();
    expect(failure).toMatch(/AwsSolutions-SQS3/);
    expect(failure).toMatch(/Serverless-SQSRedrivePolicy/);
  });
});
