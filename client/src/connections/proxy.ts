/**
 * VS Code's proxy settings, turned into the CMF client's proxy override. The client always honours
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY; when the user set `http.proxy` in VS Code, that wins, with
 * `http.noProxy` as its exceptions. Loopback never goes through a proxy (the local CMF, port forwards).
 */
import type { DispatcherOptions } from '../../../cmf-client/src/connection';

export interface VsCodeProxySettings {
  /** `http.proxy` */
  proxy?: string;
  /** `http.noProxy` (hosts or domains) */
  noProxy?: readonly string[];
  /** `http.proxySupport`: off | on | fallback | override */
  proxySupport?: string;
}

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

/** The override for the client (undefined: the environment variables apply as they are). */
export function proxyOverride(s: VsCodeProxySettings, opts: { loopbackOnly?: boolean } = {}): DispatcherOptions['proxy'] {
  if (opts.loopbackOnly) return { httpProxy: '', httpsProxy: '', noProxy: '' };
  const proxy = s.proxy?.trim();
  if (!proxy || s.proxySupport === 'off') return undefined;
  const noProxy = [...(s.noProxy ?? []).map((h) => h.trim()).filter(Boolean), ...LOOPBACK];
  return { httpProxy: proxy, httpsProxy: proxy, noProxy: [...new Set(noProxy)].join(',') };
}
