/**
 * Reads IAM policy documents as CloudFormation synthesizes them and answers two questions the
 * delivery tests ask: does a policy grant something admin-equivalent, and would a trust policy
 * let a given GitHub OIDC token in. Small on purpose: it understands the statements this
 * repository writes (Allow/Deny, Action/NotAction, Resource, StringEquals/StringLike/ArnEquals),
 * and refuses what it does not understand rather than passing it.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON */

type Strings = string | string[] | undefined;
const list = (v: Strings): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
const matches = (pattern: string, value: string) => glob(pattern).test(value);

/** IAM actions that hand out privileges: any of them on an unscoped resource is admin. */
export const PRIVILEGE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:PutUserPolicy',
  'iam:AttachUserPolicy',
  'iam:AddUserToGroup',
  'iam:PutGroupPolicy',
  'iam:AttachGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:PassRole',
  'sts:AssumeRole',
  'organizations:LeaveOrganization',
] as const;

/**
 * Actions that need `iam:PermissionsBoundary` in their condition to be safe (the role-writing
 * actions that carry the key: IAM User Guide, "Permissions boundaries for IAM entities",
 * delegating responsibility to others).
 */
const NEED_BOUNDARY = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];
/** AWS managed policies that are administrator or can become it. */
const ADMIN_MANAGED_POLICIES = /AdministratorAccess|IAMFullAccess|PowerUserAccess|\*/;

export interface AuditOptions {
  /** Resource patterns privilege actions may be scoped to (e.g. `…:role/stayup-dev*`). */
  readonly scopedTo: readonly string[];
}

/**
 * The admin-equivalent grants of `document` (a synthesized PolicyDocument): `*` or `iam:*` style
 * actions, NotAction that leaves IAM in, privilege actions (PRIVILEGE_ACTIONS) on resources
 * outside `scopedTo`, role writes without a permissions-boundary condition, managed-policy
 * attachment without an allow-list or with an administrator policy in it. Empty when none.
 */
export function adminEquivalentGrants(document: any, options: AuditOptions): string[] {
  const problems: string[] = [];
  for (const [i, st] of (document?.Statement ?? []).entries()) {
    const name = st.Sid ?? `#${i}`;
    if (st.Effect !== 'Allow') continue;
    const conditionKeys = Object.keys(st.Condition ?? {});
    if (conditionKeys.some((k) => !/^(StringEquals|StringLike|ArnEquals|ArnLike)$/.test(k))) {
      problems.push(`${name}: condition operator not understood (${conditionKeys.join(', ')})`);
    }
    if (st.NotAction !== undefined) {
      if (!list(st.NotAction).some((a) => matches(a, 'iam:CreateRole'))) {
        problems.push(`${name}: NotAction leaves IAM writes allowed`);
      }
      continue;
    }
    const actions = list(st.Action);
    const resources = list(st.Resource);
    if (st.NotResource !== undefined) problems.push(`${name}: Allow with NotResource`);
    for (const action of actions) {
      if (/^\*$|^(iam|sts|organizations):\*$/i.test(action)) {
        problems.push(`${name}: ${action} allowed`);
      }
    }
    const strings = JSON.stringify(st.Condition ?? {});
    for (const privileged of PRIVILEGE_ACTIONS) {
      if (!actions.some((a) => matches(a, privileged))) continue;
      const outside = resources.filter(
        (r) => typeof r !== 'string' || !options.scopedTo.some((s) => r === s),
      );
      if (outside.length > 0) {
        problems.push(`${name}: ${privileged} on ${JSON.stringify(outside)}`);
      }
      if (NEED_BOUNDARY.includes(privileged) && !strings.includes('"iam:PermissionsBoundary"')) {
        problems.push(`${name}: ${privileged} without an iam:PermissionsBoundary condition`);
      }
      if (privileged === 'iam:AttachRolePolicy') {
        const arns = list(st.Condition?.ArnEquals?.['iam:PolicyARN']);
        if (arns.length === 0) problems.push(`${name}: ${privileged} of any managed policy`);
        for (const arn of arns.filter((a) => ADMIN_MANAGED_POLICIES.test(a))) {
          problems.push(`${name}: ${privileged} of ${arn}`);
        }
      }
    }
  }
  return problems;
}

/** Claims of a GitHub Actions OIDC token, as AWS sees them (`token.actions.githubusercontent.com:<claim>`). */
export type TokenClaims = Readonly<Record<string, string>>;

/**
 * Whether a role's trust policy (synthesized AssumeRolePolicyDocument) lets a web identity with
 * `claims` assume it: some Allow statement for sts:AssumeRoleWithWebIdentity whose every
 * StringEquals/StringLike condition holds. Any other condition operator fails closed.
 */
export function trustAllows(document: any, claims: TokenClaims): boolean {
  return (document?.Statement ?? []).some((st: any) => {
    if (st.Effect !== 'Allow' || !list(st.Action).includes('sts:AssumeRoleWithWebIdentity')) {
      return false;
    }
    return Object.entries<Record<string, Strings>>(st.Condition ?? {}).every(([op, tests]) =>
      Object.entries(tests).every(([key, expected]) => {
        const claim = claims[key.replace(/^token\.actions\.githubusercontent\.com:/, '')];
        if (claim === undefined) return false;
        if (op === 'StringEquals') return list(expected).includes(claim);
        if (op === 'StringLike') return list(expected).some((e) => matches(e, claim));
        return false;
      }),
    );
  });
}
