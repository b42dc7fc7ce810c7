/** The parts of a container image reference. */
export interface ImageReference {
  /** Registry and repository, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/stayup-api`. */
  readonly repository: string;
  /** The tag, when the reference has one. */
  readonly tag?: string;
  /** The digest (`sha256:…`), when the reference has one. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
/**
 * A repository path component: lower-case only (upper-case is refused by registries and by the
 * kubelet's reference parser); the registry host before it may have any case.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Parses an image reference and refuses the ones a rollout cannot pin: no tag and no digest, or
 * the `latest` tag (the same manifest could then run different code on different nodes).
 */
export function parseImage(path: string, image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (repository === '' || /\s/.test(image)) {
    throw new Error(`'${path}' (${image}) must be an image reference: e.g. 'registry/app:1.2.3'`);
  }
  const components = repository.split('/');
  // the first component is a registry host when it has a '.' or a ':' or is localhost
  const hasRegistry = components.length > 1 && /[.:]|^localhost$/.test(components[0]);
  const repoPath = hasRegistry ? components.slice(1) : components;
  if (!repoPath.every((c) => PATH_COMPONENT.test(c))) {
    throw new Error(
      `'${path}' (${image}) must have a lower-case repository path (letters, digits, '.', '_', '-'): ` +
        `registries refuse upper case; use '${[...(hasRegistry ? [components[0]] : []), ...repoPath.map((c) => c.toLowerCase())].join('/')}${tag !== undefined ? `:${tag}` : ''}'`,
    );
  }
  if (tag !== undefined && !TAG.test(tag)) {
    throw new Error(
      `'${path}' (${image}) must have a tag of letters, digits, '_', '.' and '-' (at most 128, ` +
        `not starting with '.' or '-'): e.g. '${repository}:1.2.3'`,
    );
  }
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new Error(
      `'${path}' (${image}) must have a digest of the form sha256:<64 hex digits>: ` +
        `copy it from the registry (docker buildx imagetools inspect)`,
    );
  }
  if (digest === undefined && tag === undefined) {
    throw new Error(
      `'${path}' (${image}) must be pinned by a tag or a digest: ` +
        `use '${repository}:<version>' or '${repository}@sha256:<digest>'`,
    );
  }
  if (digest === undefined && tag === 'latest') {
    throw new Error(
      `'${path}' (${image}) must not use the 'latest' tag: ` +
        `pin a version ('${repository}:1.2.3') or a digest, so every pod runs the same code`,
    );
  }
  return { repository, tag, digest };
}
