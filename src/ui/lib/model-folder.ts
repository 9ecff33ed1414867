// Which folder `?models=` names, and whether it is on the page's own origin (model-origin.ts asks
// before anything is requested from another one). Pure: no DOM, so Node tests read it.

export interface ModelFolder {
  /** The folder the page would load (absolute, ending in /): the link's, or this build's models/. */
  requestedUrl: string;
  /** This build's own models/ folder. */
  ownUrl: string;
  /** The requested folder's origin when it is not the page's, else null. */
  foreignOrigin: string | null;
  /** Why the link's folder cannot be used at all (not http or https), else null. */
  refused: string | null;
}

/** Reads `?models=` against the page's address: which folder, and whether it is on another origin. */
export function resolveModelFolder(param: string | null, baseUrl: string, pageHref: string): ModelFolder {
  const folder = (href: string) => (href.endsWith('/') ? href : `${href}/`);
  const ownUrl = folder(new URL(`${baseUrl}models/`, pageHref).href);
  if (!param) return { requestedUrl: ownUrl, ownUrl, foreignOrigin: null, refused: null };
  let url: URL;
  try {
    url = new URL(param, pageHref);
  } catch {
    return { requestedUrl: ownUrl, ownUrl, foreignOrigin: null, refused: `"${param}" is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return {
      requestedUrl: ownUrl,
      ownUrl,
      foreignOrigin: null,
      refused: `${url.protocol} URLs cannot hold model files`,
    };
  const own = new URL(pageHref).origin;
  return {
    requestedUrl: folder(url.href),
    ownUrl,
    foreignOrigin: url.origin === own ? null : url.origin,
    refused: null,
  };
}
