import type { CfnResource, StackTemplate } from './types.ts';

/**
 * CloudFormation intrinsic functions, read offline.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 */

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The only key of a one-key object (an intrinsic function), if it is one. */
function intrinsic(v: Json): [string, Json] | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))
    ? [keys[0], v[keys[0]]]
    : undefined;
}

/** A placeholder for a value known only at deploy time: `{{Logical.Attr}}`; JSON-safe. */
export const token = (ref: string) => `{{${ref}}}`;

function pseudo(name: string, stack: StackTemplate): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return stack.region;
    case 'AWS::AccountId':
      return stack.account;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return stack.name;
    default:
      return undefined;
  }
}

/**
 * A value with its intrinsics resolved as far as the template allows: pseudo parameters, joins and
 * substitutions become text; references to resources become {@link token}s.
 */
export function resolve(v: Json, stack: StackTemplate): Json {
  if (Array.isArray(v)) return v.map((x) => resolve(x, stack));
  const fn = intrinsic(v);
  if (!fn) {
    return isObject(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, stack)]))
      : v;
  }
  const [name, arg] = fn;
  switch (name) {
    case 'Ref':
      return pseudo(String(arg), stack) ?? token(String(arg));
    case 'Fn::GetAtt':
      return token(Array.isArray(arg) ? arg.join('.') : String(arg));
    case 'Fn::Join': {
      const [sep, parts] = arg as [string, Json[]];
      const resolved = resolve(parts, stack);
      return Array.isArray(resolved) ? resolved.map((p) => asText(p)).join(sep) : token('?');
    }
    case 'Fn::Sub': {
      const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, Json>];
      return text.replace(/\$\{([^}!]+)\}/g, (_, ref: string) =>
        ref in vars
          ? asText(resolve(vars[ref], stack))
          : (pseudo(ref, stack) ?? token(ref.replace(/\s/g, ''))),
      );
    }
    case 'Fn::ImportValue':
      return token(`import:${asText(resolve(arg, stack))}`);
    default:
      return token('?');
  }
}

/** A resolved value as text (objects as JSON). */
export function asText(v: Json): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** {@link resolve}, as text. */
export const resolveText = (v: Json, stack: StackTemplate) => asText(resolve(v, stack));

/** Logical ids a value refers to (Ref, Fn::GetAtt, Fn::Sub `${X}` / `${X.Attr}`). */
export function references(v: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) references(x, found);
    return found;
  }
  if (!isObject(v)) return found;
  const fn = intrinsic(v);
  if (fn?.[0] === 'Ref' && !String(fn[1]).startsWith('AWS::')) found.add(String(fn[1]));
  else if (fn?.[0] === 'Fn::GetAtt') {
    found.add(Array.isArray(fn[1]) ? String(fn[1][0]) : String(fn[1]).split('.')[0]);
  } else if (fn?.[0] === 'Fn::Sub') {
    const [text, vars] = (Array.isArray(fn[1]) ? fn[1] : [fn[1], {}]) as [string, Json];
    for (const m of String(text).matchAll(/\$\{([^}!.]+)[^}]*\}/g)) {
      if (!m[1].startsWith('AWS::') && !(isObject(vars) && m[1] in vars)) found.add(m[1]);
    }
    references(vars, found);
  } else for (const x of Object.values(v)) references(x, found);
  return found;
}

const dependsOnList = (r: CfnResource) =>
  r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];

/** What a resource waits for: its DependsOn and every resource its properties refer to. */
export function directDependencies(stack: StackTemplate, logicalId: string): string[] {
  const resources = stack.template.Resources ?? {};
  const resource = resources[logicalId];
  if (!resource) return [];
  return [
    ...new Set([...dependsOnList(resource), ...references(resource.Properties ?? {})]),
  ].filter((id) => id in resources);
}

/** Every resource created before this one (DependsOn and Ref/GetAtt chains, transitively). */
export function dependencyClosure(stack: StackTemplate, logicalId: string): Set<string> {
  const seen = new Set<string>();
  const queue = [logicalId];
  while (queue.length > 0) {
    for (const dep of directDependencies(stack, queue.pop() as string)) {
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return seen;
}

/** Resources of a stack of the given types, as [logicalId, resource]. */
export function resourcesOfType(stack: StackTemplate, ...types: string[]): [string, CfnResource][] {
  return Object.entries(stack.template.Resources ?? {}).filter(([, r]) => types.includes(r.Type));
}

/** Every string in a resolved value, with its path (for scanning ARNs and image URIs). */
export function* strings(v: Json): Generator<string> {
  if (typeof v === 'string') yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (isObject(v)) for (const x of Object.values(v)) yield* strings(x);
}
