import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createAnalyzer, toCliDecision } from './cli/analyzer';
import { isBlank, lines, readLine } from './cli/jsonl';
import { runCli } from './cli/run';

/**
 * `npm run -s classify -- "テキスト"` prints one decision as JSON. With no argument it reads JSON
 * Lines `{"id","text"}` on stdin and writes exactly one line per input line, in order (DESIGN.md):
 * a decision, or `{ "id": <its id or null>, "error": "<why>" }` for a line that cannot be read;
 * blank lines are skipped. stdout carries nothing else (`-s` keeps npm's own banner off it).
 */

const USAGE = `usage: npm run -s classify -- "テキスト"
       npm run -s classify < comments.jsonl > decisions.jsonl

With a text: prints its decision as one JSON object.
Without one: reads JSON Lines {"id": "...", "text": "..."} on stdin and writes
one line per input line, in order: the decision, or {"id", "error"} for a line
that cannot be read (the exit code is then 1). Blank lines are skipped.

  --policy-pack NAME   policy pack (default: POLICY_PACK, else rumoi)
  -h, --help           this help

Use npm's -s (silent): without it npm prints its own banner on stdout.
A text that starts with "-" goes after "--": npm run -s classify -- -- "-text".
`;

const write = async (line: string): Promise<void> => {
  if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain');
};

const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'policy-pack': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const argument = positionals.join(' ');
  if (argument.length === 0 && process.stdin.isTTY) {
    // Nothing to read from a terminal: say how to use it instead of waiting in silence.
    process.stderr.write(USAGE);
    return 2;
  }
  const classify = await createAnalyzer(values['policy-pack']);
  if (argument.length > 0) {
    await write(JSON.stringify(toCliDecision('arg', classify(argument))));
    return 0;
  }
  let failures = 0;
  for await (const raw of lines(process.stdin)) {
    // CRLF input: the carriage return is not part of the line.
    const bytes = raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw;
    if (isBlank(bytes)) continue;
    const line = readLine(bytes);
    if ('error' in line) {
      failures++;
      await write(JSON.stringify(line.error));
      continue;
    }
    await write(JSON.stringify(toCliDecision(line.id, classify(line.text))));
  }
  return failures > 0 ? 1 : 0;
};

runCli('classify', main, { failureCode: 2 });
