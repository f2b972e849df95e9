import type { BrandingOptions } from 'adminjs';
import { getSettings } from '../modules/settings/settings.service.js';

/** A small inline icon, so browsers do not ask the server for /favicon.ico. */
const FAVICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f6f5c"/><path d="M4 11V5h5a2 2 0 010 4H6" stroke="#fff" stroke-width="1.6" fill="none"/></svg>')}`;

/** Branding follows settings.companyName, read per page (settings are cached for a couple of seconds). */
export async function branding(): Promise<BrandingOptions> {
  const { companyName } = await getSettings();
  return {
    companyName: `${companyName} · StockPilot`,
    logo: false,
    withMadeWithLove: false,
    favicon: FAVICON,
    theme: { colors: { primary100: '#1f6f5c', primary80: '#2b8a73', primary60: '#4fa58e', primary40: '#8cc9b7', primary20: '#d9efe8', accent: '#1f6f5c' } },
  };
}
