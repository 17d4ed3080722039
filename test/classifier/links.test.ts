import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyze } from '../../lambdas/core/analyze';
import { extractLinks } from '../../lambdas/core/classifier/links';
import { normalize } from '../../lambdas/core/text/normalize';
import type { Token, Tokenizer } from '../../lambdas/core/tokenizer';

const policy = loadPolicy('rumoi');
const links = (text: string) => extractLinks(normalize(text).folded, policy.links, text);
const flagsOf = (text: string): string[] => [...(links(text)[0]?.flags ?? [])].sort();

describe('link checks', () => {
  it('lets the city’s own sites pass', () => {
    expect(flagsOf('https://www.city.rumoi.lg.jp/kurashi/')).toEqual(['allowlisted']);
    expect(flagsOf('www.instagram.com/rumoi_official/')).toEqual(['allowlisted']);
  });

  it('flags shorteners, IP literals, executables and look-alikes', () => {
    expect(flagsOf('bit.ly/3abc')).toContain('shortener');
    expect(flagsOf('http://203.0.113.9/login')).toEqual(
      expect.arrayContaining(['ip', 'credential']),
    );
    expect(flagsOf('dl-app.apk')).toContain('executable');
    expect(flagsOf('https://example.com/files/setup.exe')).toContain('executable');
    expect(flagsOf('city-rumоi-lg.jp/login')).toContain('lookalike'); // Cyrillic о
    expect(flagsOf('instagrarn-support.help/unlock')).toContain('lookalike'); // rn for m
    expect(flagsOf('online-shop.example.com')).not.toContain('lookalike'); // "line" inside a word
  });

  it('finds obfuscated links and maps them to what was written', () => {
    const text = '詳細→ hxxps://evil-site[.]xyz/get です';
    const [link] = links(text);
    expect(link?.host).toBe('evil-site.xyz');
    expect(link?.flags).toContain('obfuscated');
    expect(text.slice(link?.start, link?.end)).toBe('hxxps://evil-site[.]xyz/get');
    expect(links('rumoi-map ドット net')[0]?.host).toBe('rumoi-map.net');
  });

  it('does not take numbers or sentences for links', () => {
    expect(links('3.5キロ歩いた。end.of the day')).toEqual([]);
    expect(links('写真きれい')).toEqual([]);
  });
});

describe('analyze: one morphological analysis per comment', () => {
  let inner: Tokenizer;
  beforeAll(async () => {
    inner = await loadTokenizer();
  });

  it('shares the tokens of the whole comment between the detector and the classifier', () => {
    const calls: string[] = [];
    const counting: Tokenizer = {
      tokenize: (text: string): readonly Token[] => {
        calls.push(text);
        return inner.tokenize(text);
      },
    };
    const text = '市民課の田中って職員、態度最悪。ほんとにシネ。電話は090-1234-5678';
    analyze(text, { policy, tokenizer: counting });
    expect(calls.filter((t) => t === text)).toHaveLength(1);
  });

  it('analyses an over-long forged text in bounded pieces', () => {
    const calls: string[] = [];
    const counting: Tokenizer = {
      tokenize: (text: string): readonly Token[] => {
        calls.push(text);
        return inner.tokenize(text);
      },
    };
    analyze('留萌市の除雪、遅すぎる！'.repeat(900), { policy, tokenizer: counting });
    expect(Math.max(...calls.map((t) => t.length))).toBeLessThanOrEqual(129);
    expect(calls.reduce((n, t) => n + t.length, 0)).toBeLessThanOrEqual(2201 + 200);
  });
});
