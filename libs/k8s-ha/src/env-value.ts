import { k8s } from 'cdk8s-plus-28';

/**
 * The value of a container environment variable: a literal, or a reference to an existing
 * Secret or ConfigMap key. Secret values are never written into a manifest.
 */
export class EnvValue {
  /** A literal value, written into the manifest. */
  static fromValue(value: string): EnvValue {
    return new EnvValue({ value }, true);
  }

  /**
   * A key of an existing Secret (`secretKeyRef`).
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
   */
  static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key } } }, false);
  }

  /** A key of an existing ConfigMap (`configMapKeyRef`). */
  static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key } } }, false);
  }

  private constructor(
    private readonly source: Omit<k8s.EnvVar, 'name'>,
    /** Whether the value is written into the manifest. */
    readonly isLiteral: boolean,
  ) {}

  /** The Kubernetes `env` entry. */
  toKube(name: string): k8s.EnvVar {
    return { name, ...this.source };
  }
}

/** Names that say "secret": a literal value under one of them is refused (`@stayup/contract`). */
export { SECRET_NAME } from '@stayup/contract';
