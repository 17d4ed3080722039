import { createInterface } from 'node:readline';
import { z } from 'zod';
import { createAnalyzer, toCliDecision } from './cli/analyzer';
import { runCli } from './cli/run';

/**
 * `npm run classify -- "テキスト"` prints one decision as JSON. With no argument it reads JSON Lines
 * `{"id","text"}` on stdin and writes one decision per line, in order; stdout carries nothing else.
 */
const inputSchema = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

const main = async (): Promise<number> => {
  const classify = await createAnalyzer();
  const argument = process.argv.slice(2).join(' ');
  if (argument.length > 0) {
    process.stdout.write(`${JSON.stringify(toCliDecision('arg', classify(argument)))}\n`);
    return 0;
  }
  let failures = 0;
  let lineNumber = 0;
  for await (const line of createInterface({
    input: process.stdin,
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber++;
    if (line.trim().length === 0) continue;
    let parsed: z.infer<typeof inputSchema>;
    try {
      parsed = inputSchema.parse(JSON.parse(line));
    } catch {
      // Keep stdout line-aligned with the input: report the bad line on stderr and say why.
      failures++;
      process.stderr.write(`line ${lineNumber}: expected {"id","text"} JSON\n`);
      process.stdout.write(`${JSON.stringify({ id: null, error: 'invalid input line' })}\n`);
      continue;
    }
    process.stdout.write(
      `${JSON.stringify(toCliDecision(String(parsed.id), classify(parsed.text)))}\n`,
    );
  }
  return failures > 0 ? 1 : 0;
};

runCli('classify', main, { failureCode: 2 });
