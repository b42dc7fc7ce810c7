/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
/** Readers of pod and container fields that the rules of more than one tool look at. */
import { SECRET_NAME } from '@stayup/contract';

/** A security-context field of the container, else of its pod. */
export const effective = (c: any, pod: any, field: string) =>
  c.securityContext?.[field] ?? pod.securityContext?.[field];

/** Whether the container sets `resources.<kind>.<name>`. */
export const hasResource = (c: any, kind: 'requests' | 'limits', name: string) =>
  c.resources?.[kind]?.[name] !== undefined;

/** The image's tag, `digest` for an image pinned by digest, undefined when there is neither. */
export const imageTag = (image: string) => {
  const name = image.split('@')[0];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return image.includes('@') ? 'digest' : colon > slash ? name.slice(colon + 1) : undefined;
};

/**
 * The container's env vars whose name says "secret" (SECRET_NAME of @stayup/contract, the names
 * the k8s-ha constructs refuse a literal for) and that carry a literal `value`.
 */
export const literalSecretEnv = (c: any): any[] =>
  (c.env ?? []).filter((e: any) => SECRET_NAME.test(e.name) && e.value !== undefined);
