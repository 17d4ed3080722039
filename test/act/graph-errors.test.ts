import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyGraphFailure,
  failureCode,
  type GraphFailure,
  isNotFound,
} from '../../lambdas/core/act/graph-errors';

const graph = (code: number | undefined, extra: Partial<GraphFailure> = {}): GraphFailure =>
  ({
    kind: 'graph',
    httpStatus: 400,
    ...(code !== undefined ? { code } : {}),
    ...extra,
  }) as GraphFailure;

describe('Graph error classes', () => {
  it.each([1, 2])('code %i is transient', (code) => {
    expect(classifyGraphFailure(graph(code))).toBe('transient');
  });

  it.each([4, 17, 32, 341, 368, 613, 80002, 80001])('code %i is throttled', (code) => {
    expect(classifyGraphFailure(graph(code))).toBe('throttled');
  });

  it.each([10, 100, 190, 200, 250, 299])('code %i is permanent', (code) => {
    expect(classifyGraphFailure(graph(code))).toBe('permanent');
  });

  it('"does not exist" (100/33) is its own class', () => {
    const failure = graph(100, { subcode: 33 } as Partial<GraphFailure>);
    expect(isNotFound(failure)).toBe(true);
    expect(classifyGraphFailure(failure)).toBe('not_found');
    expect(failureCode(failure)).toBe('100/33');
  });

  it('recognises "does not exist" by message when the subcode is missing', () => {
    const failure = graph(100, {
      message: "Unsupported delete request. Object with ID '1' does not exist",
    } as Partial<GraphFailure>);
    expect(classifyGraphFailure(failure)).toBe('not_found');
  });

  it('network failures are transient, unknown codes fall back on the HTTP status', () => {
    expect(classifyGraphFailure({ kind: 'network', reason: 'timeout' })).toBe('transient');
    expect(
      classifyGraphFailure(graph(undefined, { httpStatus: 502 } as Partial<GraphFailure>)),
    ).toBe('transient');
    expect(
      classifyGraphFailure(graph(undefined, { httpStatus: 429 } as Partial<GraphFailure>)),
    ).toBe('throttled');
    expect(classifyGraphFailure(graph(9999))).toBe('permanent');
  });

  it('classifies any failure without throwing and labels it without text', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer(), { nil: undefined }),
        fc.option(fc.integer(), { nil: undefined }),
        fc.integer({ min: 100, max: 599 }),
        fc.string(),
        (code, subcode, httpStatus, message) => {
          const failure = {
            kind: 'graph',
            httpStatus,
            ...(code !== undefined ? { code } : {}),
            ...(subcode !== undefined ? { subcode } : {}),
            message,
          } as GraphFailure;
          expect(['transient', 'throttled', 'permanent', 'not_found']).toContain(
            classifyGraphFailure(failure),
          );
          expect(failureCode(failure)).toMatch(/^(-?\d+(\/-?\d+)?|http_\d+)$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
