import type AdminJS from 'adminjs';
import type { AdminPages, FeatureType } from 'adminjs';
import type { Router } from 'express';

/** The panel's resources that plugins extend, by the name the resource files use. */
export type PanelResource = 'products' | 'suppliers' | 'stockMovements' | 'sales' | 'purchases' | 'orders' | 'auditLogs' | 'locations' | 'transfers' | 'stockCounts';

/**
 * What the plugins/ folder adds to the panel: features on resources (actions,
 * exports, uploads), pages and routes of their own. The panel takes them from
 * its caller (the server, the build script, the browser tests), so src/admin
 * never imports a plugin and plugins only build on src/admin.
 */
export interface PanelPlugins {
  features: Partial<Record<PanelResource, FeatureType[]>>;
  pages: AdminPages;
  routers(admin: AdminJS): Router[];
}

export const NO_PLUGINS: PanelPlugins = { features: {}, pages: {}, routers: () => [] };
