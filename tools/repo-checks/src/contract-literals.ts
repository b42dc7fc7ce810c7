import {
  DEFAULT_HTTP_PORT,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_METRICS_PORT,
  LIVENESS_PATH,
  MAX_SHUTDOWN_MS,
  READINESS_PATH,
  RUN_AS_UID,
  ServiceEnv,
} from '@stayup/contract';
import ts from 'typescript';

/** A value of @stayup/contract written out in another source file. */
export interface ContractLiteral {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The contract constant it restates. */
  readonly constant: string;
}

/*
 * The values that identify the contract. The drain defaults (5000, 10000) and the ALB idle
 * timeout (60000) are not here: those numbers are ordinary timeouts elsewhere; they reach the app
 * and the constructs by import.
 */
const NUMBERS = new Map<number, string>([
  [DEFAULT_HTTP_PORT, 'DEFAULT_HTTP_PORT'],
  [DEFAULT_METRICS_PORT, 'DEFAULT_METRICS_PORT'],
  [RUN_AS_UID, 'RUN_AS_UID'],
  [MAX_SHUTDOWN_MS, 'MAX_SHUTDOWN_MS'],
  [DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 'DEFAULT_KEEP_ALIVE_TIMEOUT_MS'],
]);
const ENV_NAMES = new Map<string, string>(
  Object.entries(ServiceEnv).map(([key, name]) => [name, `ServiceEnv.${key}`]),
);
const PATHS = new Map<string, string>([
  [READINESS_PATH, 'READINESS_PATH'],
  [LIVENESS_PATH, 'LIVENESS_PATH'],
]);
/** A probe path inside a string: `/ready`, `${url}/ready?x`, `'/alive'`; not `/readyz` or `/already`. */
const PATH_IN_TEXT = new RegExp(
  `(^|[^A-Za-z0-9_/])(${[...PATHS.keys()].map((p) => p.replace('/', '\\/')).join('|')})(?![A-Za-z0-9_-])`,
);

/**
 * Finds, in one source file's code (comments do not count: documentation may quote a value),
 * the literals that restate @stayup/contract: a number that is one of its ports, limits or the
 * UID; a string that is exactly one of its environment variable names, or that holds one of its
 * probe paths; a property named after an environment variable (`{ PORT: … }`, `env.PORT`).
 */
export function findContractLiterals(file: string, source: string): ContractLiteral[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: ContractLiteral[] = [];
  const report = (node: ts.Node, constant: string) =>
    found.push({
      file,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      text: node.getText(sf).split('\n', 1)[0].slice(0, 60),
      constant,
    });
  const visit = (node: ts.Node): void => {
    if (ts.isNumericLiteral(node)) {
      const constant = NUMBERS.get(Number(node.text));
      if (constant) report(node, constant);
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      const text = node.text;
      const name = ENV_NAMES.get(text);
      const path = PATH_IN_TEXT.exec(text)?.[2];
      if (name) report(node, name);
      else if (path) report(node, PATHS.get(path) ?? path);
    } else if (ts.isIdentifier(node) && ENV_NAMES.has(node.text) && isPropertyName(node)) {
      report(node, ENV_NAMES.get(node.text) ?? node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isShorthandPropertyAssignment(parent) && parent.name === node)
  );
}
