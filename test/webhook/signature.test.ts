import { describe, expect, it } from 'vitest';
import { signatureFor, verifySignature } from '../../lambdas/core/webhook/signature';
import { signBody } from '../support/webhook-fixtures';

/**
 * Known-answer vectors. The expected digests were computed once outside this code base, with
 *   printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'rumoi-test-secret'
 * (OpenSSL 3.0.19) and cross-checked with Python's hmac module, then pasted here as literals.
 */
const SECRET = 'rumoi-test-secret';

/** Meta sends Japanese as escaped unicode: the signed bytes are these ASCII characters. */
const JAPANESE_ESCAPED_BODY =
  '{"object":"instagram","entry":[{"id":"17841400000000001","time":1764150000,"changes":[{"field":"comments","value":{"from":{"id":"1234567890","username":"rumoi_taro"},"media":{"id":"18000000000000001","media_product_type":"FEED"},"id":"18000000000000002","text":"\\u7559\\u840c\\u5e02\\u306e\\u6d77"}}]}]}';

const VECTORS = [
  {
    name: 'delivery with Japanese text as \\u escapes',
    body: JAPANESE_ESCAPED_BODY,
    hex: 'be5d10c8761ba17378f844a71e9ce2d24812b9cb374722d218bf4bceacf839b1',
  },
  {
    name: 'short body with escaped 留萌',
    body: '{"a":"\\u7559\\u840c"}',
    hex: '8f7706813199b600edc553d8c8e7e3f4f6042e6127edeed897b0f4aa7e982b0e',
  },
  {
    name: 'the same text as raw UTF-8 (different bytes, different digest)',
    body: '{"a":"留萌"}',
    hex: '206ab0aeecb30bfb8c1b37d9c841591344ac2e0f2a044b584713468ecb7b0884',
  },
  {
    name: 'empty body',
    body: '',
    hex: '7a9908e6cd7614b8a8ffeb9ea5d704cb1ec068989d4bf433f8181fce86e2be74',
  },
] as const;

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('X-Hub-Signature-256 verification', () => {
  it('the Japanese vector is 299 ASCII bytes, as openssl saw it', () => {
    expect(bytes(JAPANESE_ESCAPED_BODY).length).toBe(299);
    expect(/^[\x20-\x7e]*$/.test(JAPANESE_ESCAPED_BODY)).toBe(true);
  });

  for (const vector of VECTORS) {
    it(`known answer: ${vector.name}`, () => {
      expect(signatureFor(bytes(vector.body), SECRET)).toBe(`sha256=${vector.hex}`);
      expect(signBody(vector.body, SECRET)).toBe(`sha256=${vector.hex}`);
      expect(verifySignature(bytes(vector.body), [`sha256=${vector.hex}`], [SECRET])).toBe(true);
    });
  }

  it('a digest over re-serialised JSON does not verify the bytes Meta sent', () => {
    const reserialised = JSON.stringify(JSON.parse(JAPANESE_ESCAPED_BODY));
    expect(reserialised).not.toBe(JAPANESE_ESCAPED_BODY);
    const header = `sha256=${VECTORS[0].hex}`;
    expect(verifySignature(bytes(reserialised), [header], [SECRET])).toBe(false);
  });

  it('accepts any one of several secrets (rotation)', () => {
    const body = bytes(JAPANESE_ESCAPED_BODY);
    const header = `sha256=${VECTORS[0].hex}`;
    expect(verifySignature(body, [header], ['old-secret', SECRET])).toBe(true);
    expect(verifySignature(body, [header], [SECRET, 'new-secret'])).toBe(true);
    expect(verifySignature(body, [header], ['old-secret', 'new-secret'])).toBe(false);
  });

  it.each([
    ['no header', []],
    ['empty value', ['']],
    ['prefix only', ['sha256=']],
    ['upper-case digest', [`sha256=${VECTORS[0].hex.toUpperCase()}`]],
    ['upper-case prefix', [`SHA256=${VECTORS[0].hex}`]],
    ['truncated digest', [`sha256=${VECTORS[0].hex.slice(0, 63)}`]],
    ['digest with trailing space', [`sha256=${VECTORS[0].hex} `]],
    ['digest with trailing newline', [`sha256=${VECTORS[0].hex}\n`]],
    ['extra hex digit', [`sha256=${VECTORS[0].hex}0`]],
    ['bare digest', [VECTORS[0].hex]],
    ['sha1 prefix', [`sha1=${VECTORS[0].hex}`]],
    ['non-hex digest', [`sha256=${VECTORS[0].hex.slice(0, 63)}g`]],
    ['duplicate header, both valid', [`sha256=${VECTORS[0].hex}`, `sha256=${VECTORS[0].hex}`]],
    ['comma-joined duplicate', [`sha256=${VECTORS[0].hex},sha256=${VECTORS[0].hex}`]],
  ])('rejects %s', (_name, headers) => {
    expect(verifySignature(bytes(JAPANESE_ESCAPED_BODY), headers, [SECRET])).toBe(false);
  });

  it('rejects when no secret is configured, or only empty ones', () => {
    const header = `sha256=${VECTORS[3].hex}`;
    expect(verifySignature(bytes(''), [header], [])).toBe(false);
    expect(verifySignature(bytes(''), [header], [''])).toBe(false);
  });
});
