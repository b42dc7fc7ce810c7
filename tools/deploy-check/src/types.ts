/** A CloudFormation template, as synthesized. */
export interface Template {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, unknown>;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

/** A stack of the cloud assembly (nested stacks are stacks of their own, with `parent` set). */
export interface StackTemplate {
  /** Stack name (nested: `<parent>/<logical id of the AWS::CloudFormation::Stack>`). */
  readonly name: string;
  /** Account, or undefined when environment-agnostic. */
  readonly account?: string;
  /** Region, or undefined when environment-agnostic. */
  readonly region?: string;
  readonly template: Template;
  /** Name of the stack that holds this nested stack. */
  readonly parent?: string;
}

/** Every stack of one cloud assembly. */
export interface Assembly {
  readonly stacks: readonly StackTemplate[];
  /** The cloud assembly directory, where chart assets are staged; absent for hand-made ones. */
  readonly directory?: string;
}

/** The rules of the check. */
export type RuleId =
  | 'kubectl-access'
  | 'api-served'
  | 'apply-order'
  | 'image-arch'
  | 'ingress-cert-dns'
  | 'region-independence'
  | 'rollout-gates'
  | 'metrics-scraped'
  | 'addon-capacity';

/** What would fail (or not serve) on a real deploy. */
export interface Finding {
  readonly rule: RuleId;
  readonly stack: string;
  readonly logicalId: string;
  /** What is wrong, and how to fix it. */
  readonly message: string;
}

/** One kind a CRD provider (Helm chart, EKS add-on, Auto Mode) serves. */
export interface ProvidedKinds {
  /** API group, e.g. `monitoring.coreos.com`. */
  readonly group: string;
  /** Versions served. @default every version */
  readonly versions?: readonly string[];
  readonly kinds: readonly string[];
}

/** Options of {@link checkAssembly}. */
export interface CheckOptions {
  /**
   * GitHub Actions workflow files that build the images (image-arch rule: their docker build
   * `platforms`). Relative paths resolve from the current directory.
   * @default none: the image-arch rule is skipped
   */
  readonly workflows?: readonly string[];
  /**
   * Images the workflows build (image-arch rule).
   * @default images in a private ECR registry of the stack's own account
   */
  readonly builtImage?: RegExp;
  /**
   * Kinds that Helm charts install (their CRDs), by chart name; merged over
   * {@link KNOWN_CHART_KINDS}. A chart not listed provides no kinds.
   */
  readonly chartKinds?: Readonly<Record<string, readonly ProvidedKinds[]>>;
  /** Kinds that EKS add-ons install, by add-on name; merged over {@link KNOWN_ADDON_KINDS}. */
  readonly addonKinds?: Readonly<Record<string, readonly ProvidedKinds[]>>;
  /** Helm charts that provide the load balancing capability (apply-order rule). */
  readonly loadBalancerCharts?: readonly string[];
  /**
   * Which stacks deploy together as one environment (ingress-cert-dns and region-independence).
   * @default stacks of the same account
   */
  readonly environmentOf?: (stack: StackTemplate) => string;
  /** Findings to accept, each with a reason; matched on rule and, when given, stack and logical id. */
  readonly ignore?: readonly {
    readonly rule: RuleId;
    readonly stack?: string;
    readonly logicalId?: string;
    readonly reason: string;
  }[];
}

/** A rule: one failure class. */
export interface Rule {
  readonly id: RuleId;
  /** One line: what the rule catches. */
  readonly description: string;
  check(assembly: Assembly, options: CheckOptions): Finding[];
}
