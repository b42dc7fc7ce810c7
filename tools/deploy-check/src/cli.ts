import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkAssembly } from './check-assembly.ts';
import type { Finding } from './types.ts';

const USAGE = `usage: deploy-check <cdk.out> [--workflow <file>]... [--json]
  Checks a synthesized CDK cloud assembly for what only a real deploy would show.
  --workflow  a GitHub Actions workflow that builds the deployed image (repeatable);
              default: every .github/workflows/*.yml of the current directory
  --json      print the findings as JSON
Exit status: 0 no finding, 1 findings, 2 usage or read error.`;

/** Runs the check as the command line does; returns the exit status. */
export function runCli(args: readonly string[], write: (text: string) => void): number {
  const workflows: string[] = [];
  let dir: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--workflow' && args[i + 1]) workflows.push(args[++i]);
    else if (args[i] === '--json') json = true;
    else if (!args[i].startsWith('-') && dir === undefined) dir = args[i];
    else {
      write(`${USAGE}\n`);
      return 2;
    }
  }
  if (!dir) {
    write(`${USAGE}\n`);
    return 2;
  }
  let findings: Finding[];
  try {
    findings = checkAssembly(dir, { workflows: workflows.length ? workflows : defaultWorkflows() });
  } catch (e) {
    write(`deploy-check: ${(e as Error).message}\n`);
    return 2;
  }
  if (json) write(`${JSON.stringify(findings, null, 2)}\n`);
  else {
    for (const f of findings) write(`[${f.rule}] ${f.stack} ${f.logicalId}\n  ${f.message}\n`);
    write(`deploy-check: ${findings.length} finding(s) in ${dir}\n`);
  }
  return findings.length > 0 ? 1 : 0;
}

function defaultWorkflows(): string[] {
  const dir = resolve('.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runCli(process.argv.slice(2), (text) => process.stdout.write(text));
}
