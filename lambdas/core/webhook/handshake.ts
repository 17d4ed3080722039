import { timingSafeEqual } from 'node:crypto';

/**
 * Meta's subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=N` must
 * be answered 200 with N when T is ours, and refused otherwise.
 */

type HandshakeQuery = Readonly<Record<string, string | undefined>>;

type HandshakeResult = { readonly ok: true; readonly challenge: string } | { readonly ok: false };

/** Meta's challenge is an integer; echoing anything else would make us a reflector. */
const CHALLENGE_FORMAT = /^\d{1,64}$/;

const sameToken = (presented: string, expected: string): boolean => {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // The length comparison leaks only the token length, which is not secret material.
  return a.length === b.length && timingSafeEqual(a, b);
};

const answerHandshake = (query: HandshakeQuery, verifyToken: string): HandshakeResult => {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || token === undefined || challenge === undefined) return { ok: false };
  if (verifyToken.length === 0 || !sameToken(token, verifyToken)) return { ok: false };
  if (!CHALLENGE_FORMAT.test(challenge)) return { ok: false };
  return { ok: true, challenge };
};

export type { HandshakeQuery, HandshakeResult };
export { answerHandshake };
