/** One running image as people read it: the tag, with the whole reference kept for a tooltip. */
export interface ImageVersion {
  /** `1.4.0`, or the first 12 hex digits of a digest (`sha256:0123456789ab`). */
  version: string;
  /** The image reference as Argo CD reports it. */
  image: string;
}

/** `ghcr.io/acme/web:1.4.0` gives `1.4.0`; a digest its short form; no tag Docker's `latest`. */
export function imageVersion(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) {
    const digest = image.slice(at + 1);
    const [algorithm, hex = ''] = digest.split(':');
    return `${algorithm}:${hex.slice(0, 12)}`;
  }
  const colon = image.lastIndexOf(':');
  // A colon before the last slash is a registry's port, not a tag.
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
}

/** The versions an app runs, one per distinct version, in the order Argo CD lists the images. */
export function imageVersions(images: readonly string[]): ImageVersion[] {
  const seen = new Map<string, ImageVersion>();
  for (const image of images) {
    const version = imageVersion(image);
    const known = seen.get(version);
    if (known) known.image = `${known.image}, ${image}`;
    else seen.set(version, { version, image });
  }
  return [...seen.values()];
}
