import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DigestPublisher } from '../core/review/ports';

/**
 * Where the daily digest goes: an SNS topic in AWS (staff subscribe by e-mail), the terminal locally.
 * The digest holds ids, counts and redacted excerpts only.
 */

// SNS caps a message at 256 KiB; a digest that long is cut rather than lost.
const MAX_MESSAGE_BYTES = 250 * 1024;

const truncateBytes = (text: string, maxBytes: number): string => {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const note = '\n…(省略: 一覧は review API で確認してください)\n';
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut + note, 'utf8') > maxBytes) cut = cut.slice(0, -1024);
  return cut + note;
};

const createSnsDigestPublisher = (sns: SNSClient, topicArn: string): DigestPublisher => ({
  async publish(digest, text) {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        // Subjects must be under 100 characters, one line.
        Subject: `Instagram comment digest ${digest.day}`,
        Message: truncateBytes(text, MAX_MESSAGE_BYTES),
      }),
    );
  },
});

const createConsoleDigestPublisher = (
  write: (text: string) => void = (text) => process.stdout.write(text),
): DigestPublisher => ({
  async publish(_digest, text) {
    write(text);
  },
});

export { createConsoleDigestPublisher, createSnsDigestPublisher, truncateBytes };
