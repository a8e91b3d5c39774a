/**
 * VS Code's proxy settings, turned into the CMF client's proxy override. The client always honours
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY; when the user set `http.proxy` in VS Code, that wins, with
 * `http.noProxy` as its exceptions. Loopback never goes through a proxy: the client decides that itself
 * (cmf-client `proxyFor`), for the local CMF, port forwards and every other loopback URL alike.
 */
import type { ProxySettings } from '../../../cmf-client/src/connection';

export interface VsCodeProxySettings {
  /** `http.proxy` */
  proxy?: string;
  /** `http.noProxy` (hosts or domains) */
  noProxy?: readonly string[];
  /** `http.proxySupport`: off | on | fallback | override */
  proxySupport?: string;
}

/** The override for the client (undefined: the environment variables apply as they are). */
export function proxyOverride(s: VsCodeProxySettings): ProxySettings | undefined {
  const proxy = s.proxy?.trim();
  if (!proxy || s.proxySupport === 'off') return undefined;
  const noProxy = (s.noProxy ?? []).map((h) => h.trim()).filter(Boolean);
  return { httpProxy: proxy, httpsProxy: proxy, noProxy: [...new Set(noProxy)].join(','), source: "VS Code's http.proxy setting" };
}
