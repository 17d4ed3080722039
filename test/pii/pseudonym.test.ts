import { describe, expect, it } from 'vitest';
import { normalizePiiValue, valueRef } from '../../lambdas/core/pii/pseudonym';
import { keyedRef } from '../../lambdas/core/pseudonym';

const KEY = 'test-key-not-a-secret';

describe('normalizePiiValue', () => {
  it.each([
    ['phone', '０９０－１２３４－５６７８', '09012345678'],
    ['phone', '+81 90-1234-5678', '09012345678'],
    ['phone', '090 1234 5678', '09012345678'],
    ['email', 'ＴＡＲＯ＠ｅｘａｍｐｌｅ．ＪＰ', 'taro@example.jp'],
    ['email', 'taro アットマーク example.jp', 'taro@example.jp'],
    ['email', 'taro at example dot jp', 'taro@example.jp'],
    ['postal_code', '〒077-0032', '0770032'],
    ['credit_card', '4111 1111-1111 1111', '4111111111111111'],
    ['passport', 'tk 1234567', 'TK1234567'],
    ['birth_date', '1985年7月2日', '1985-07-02'],
    ['birth_date', '1985/07/02', '1985-07-02'],
    ['person_name', '山田　太郎', '山田太郎'],
    ['person_name', 'ユーコ', 'ユーコ'],
    ['address', '留萌市港町１丁目２－３', '留萌市港町1丁目2-3'],
    ['license_plate', '札幌 300 あ 12-34', '札幌300あ12-34'],
  ] as const)('%s %s → %s', (type, raw, expected) => {
    expect(normalizePiiValue(type, raw)).toBe(expected);
  });
});

describe('valueRef', () => {
  it('gives one reference to every way of writing a value', () => {
    expect(valueRef(KEY, 'phone', '090-1234-5678')).toBe(
      valueRef(KEY, 'phone', '０９０ １２３４ ５６７８'),
    );
  });

  it('is the keyed HMAC of the canonical value under a per-type purpose', () => {
    expect(valueRef(KEY, 'phone', '090-1234-5678')).toBe(keyedRef(KEY, 'pii:phone', '09012345678'));
    expect(valueRef(KEY, 'phone', '09012345678')).not.toBe(
      valueRef(KEY, 'my_number', '09012345678'),
    );
    expect(valueRef(KEY, 'phone', '09012345678')).not.toBe(
      valueRef('other-key', 'phone', '09012345678'),
    );
  });

  it('never contains the value', () => {
    const ref = valueRef(KEY, 'email', 'taro@example.jp');
    expect(ref).toMatch(/^[0-9a-f]{64}$/);
  });
});
